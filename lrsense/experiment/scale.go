package experiment

import "os"

// Quick reports whether the notebooks run at quick (CI) scale: the
// environment variable LRSENSE_SCALE is "quick". Otherwise they run at the
// paper's scale.
func Quick() bool { return os.Getenv("LRSENSE_SCALE") == "quick" }

// Pick returns quick when Quick() is true and paper otherwise:
// trials := experiment.Pick(100, 10).
func Pick[T any](paper, quick T) T {
	if Quick() {
		return quick
	}
	return paper
}
