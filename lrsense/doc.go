// Package lrsense reproduces the experiments of over-parameterized low-rank
// matrix sensing: measurement operators, ground-truth and noise generators,
// factored solvers, initializations, trajectory recorders and seeded trials.
//
// # Normalization
//
// Every operator in this package follows one convention:
//
//	𝒜(Z)_i = ⟨A_i, Z⟩ / √m,   i = 1…m,
//
// with A_i random with unit-variance entries (see each constructor), so that
// E[𝒜*𝒜] = I on the matrices the operator is meant for. Papers that use
// 𝒜(Z)_i = ⟨A_i, Z⟩ without the 1/√m, or a 1/m in front of the loss,
// differ from this by explicit constant factors that each notebook states.
//
// The least-squares objectives are
//
//	symmetric:  f(U)   = ¼‖𝒜(UUᵀ) − y‖²,   ∇f(U) = sym(G)·U,
//	asymmetric: f(L,R) = ½‖𝒜(LRᵀ) − y‖²,   ∇_L f = G·R,  ∇_R f = Gᵀ·L,
//
// where G = 𝒜*(𝒜(X) − y) and sym(G) = (G + Gᵀ)/2. The ¼ in the symmetric
// loss makes its gradient free of a factor 2, the convention of
// Stöger & Soltanolkotabi (2021) and Xu et al. (2023).
//
// # Conventions
//
// Functions never modify their inputs; results go into a receiver or a first
// dst argument, in gonum's style. Wrong shapes panic with a message that
// starts with "lrsense:"; data-dependent failures (bad parameters, NaN in the
// measurements, divergence) are reported as errors or as a Status.
// Randomness always comes from an explicit rand.Source, so the same seed
// gives a bit-identical run.
package lrsense
