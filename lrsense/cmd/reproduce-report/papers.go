package main

import "strings"

// Paper is the publication a notebook reproduces.
type Paper struct {
	Title   string
	Authors string
	Year    string
	// Venue and Ref are printed as text (the page links to nothing
	// outside the run's folder): "ICML 2023", "arXiv 2302.01186".
	Venue string
	Ref   string
}

// papers maps a notebook's name (its path under notebooks/ without
// ".ipynb") to its paper; facts from the project's paper notes.
var papers = map[string]Paper{
	"small-init-spectral": {Title: "Small random initialization is akin to spectral learning",
		Authors: "Stöger, Soltanolkotabi", Year: "2021", Venue: "NeurIPS 2021", Ref: "arXiv 2106.15013"},
	"scaledgd-lambda": {Title: "The Power of Preconditioning in Overparameterized Low-Rank Matrix Sensing",
		Authors: "Xu, Shen, Chi, Ma", Year: "2023", Venue: "ICML 2023", Ref: "arXiv 2302.01186"},
	"apgd": {Title: "Efficient Over-parameterized Matrix Sensing from Noisy Measurements via Alternating Preconditioned Gradient Descent",
		Authors: "Liu, Han, Tang, Tang, Wang", Year: "2025", Venue: "preprint", Ref: "arXiv 2502.00463 (v3)"},
	"lowrank-approx": {Title: "Fast global convergence of gradient descent for low-rank matrix approximation",
		Authors: "Chen, Chen, Elmasri, Sun", Year: "2023", Venue: "preprint", Ref: "arXiv 2305.19206 (v1)"},
	"overparam-slowdown": {Title: "How Over-Parameterization Slows Down Gradient Descent in Matrix Sensing: The Curses of Symmetry and Initialization",
		Authors: "Xiong, Ding, Du", Year: "2024", Venue: "ICLR 2024", Ref: "arXiv 2310.01769"},
	"robust-subgm": {Title: "Global Convergence of Sub-gradient Method for Robust Matrix Recovery: Small Initialization, Noisy Measurements, and Over-parameterization",
		Authors: "Ma, Fattahi", Year: "2023", Venue: "JMLR 24(96)", Ref: "arXiv 2202.08788"},
}

// paperOf returns the paper of a notebook, and false for the tour, the
// teaching notebooks and any notebook not in the table.
func paperOf(name string) (Paper, bool) {
	p, ok := papers[strings.TrimSuffix(name, ".ipynb")]
	return p, ok
}
