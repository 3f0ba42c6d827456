// Package notebooks holds the GoNB notebooks that reproduce the papers'
// figures, and notebooks/teaching the teaching notebooks.
//
// The package has no Go API: it exists so that `go test ./...` runs
// notebook_test.go, which executes every notebook in quick mode through
// docker/reproduce.sh. The preamble every notebook starts with is described
// in PREAMBLE.md.
package notebooks
