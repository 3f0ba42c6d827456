// Package lrsense reproduces experiments of over-parameterized low-rank
// matrix sensing. Start with Instance (a standard problem and its initial
// factors in one call), then Solve with a Method (GD, ScaledGD, APGD, …)
// and a Trajectory, whose series are named by the Series… constants.
//
// Every operator is normalized as 𝒜(Z)_i = ⟨A_i, Z⟩/√m (see Operator) and
// the losses are ¼‖𝒜(UUᵀ) − y‖² and ½‖𝒜(LRᵀ) − y‖² (see LeastSquares).
// In gonum's style, results go into a receiver or a dst argument, wrong
// shapes panic with an "lrsense:" message, data failures are errors or a
// Status, and randomness comes from an explicit rand.Source.
package lrsense
