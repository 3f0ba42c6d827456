// Package lrsense reproduces experiments of over-parameterized low-rank
// matrix sensing: build an Instance, Solve it with a Method, read its
// Trajectory. Wrong shapes panic ("lrsense: …"); data failures are errors.
package lrsense
