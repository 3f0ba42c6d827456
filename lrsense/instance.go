package lrsense

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Kind is the kind of an Instance.
type Kind int

const (
	// PSDSensing is symmetric matrix sensing: a PSD truth X⋆ = U·diag(σ)·Uᵀ
	// (NewPSDTruth), the NewSymGaussian operator, symmetric factors. With
	// Outliers > 0 it is the robust setup of SubGM.
	PSDSensing Kind = iota
	// AsymSensing is asymmetric sensing: an N×N2 truth (NewLowRankTruth),
	// the NewGaussian operator, factors L (N×r′) and R (N2×r′).
	AsymSensing
	// Completion is matrix completion: an N×N2 truth (NewLowRankTruth), M
	// entries observed uniformly without replacement (NewEntrySampling),
	// asymmetric factors.
	Completion
	// ApproxSym is the symmetric low-rank approximation problem of Chen,
	// Chen, Elmasri & Sun (2023, arXiv 2305.19206 v1), min ¼‖XXᵀ − Σ‖_F²,
	// with a fully observed N×N Σ = Q·diag(λ)·Qᵀ, Q random orthogonal (a
	// product of min(N, Rank+8) Householder reflectors, so Σ costs
	// O(N²·Rank)), and symmetric factors. Its truth is the best rank-r
	// approximation Σ_r (Truth.U its eigenvectors), so RelErr is the
	// paper's ‖XXᵀ − Σ_r‖_F/‖Σ_r‖_F. λ needs a gap λ_r > λ_{r+1}.
	ApproxSym
	// ApproxAsym is the asymmetric one, min ½‖LRᵀ − A‖_F² with a fully
	// observed N×N2 A = P·diag(s)·Qᵀ (P, Q as for ApproxSym, P first), its
	// truth the best rank-r approximation A_r, asymmetric factors.
	ApproxAsym
)

// Instance describes a standard problem and its small random
// initialization; Build draws both from a source. The zero value of every
// field but N, Rank and (for sensing and completion) M means the default
// given beside it.
//
// The spectrum of X⋆ (of Σ's top Rank eigenvalues for ApproxSym, of A's
// top singular values for ApproxAsym) is Spacing.Spectrum(Rank, Kappa):
// from 1 down to 1/κ.
type Instance struct {
	// Kind selects the setup; the zero value is PSDSensing.
	Kind Kind
	// N is n (n1), N2 the number of columns for AsymSensing, Completion
	// and ApproxAsym (0 means N).
	N, N2 int
	// Rank is r⋆, RPrime the number of columns r′ of the factors (0 means
	// Rank).
	Rank, RPrime int
	// M is the number of measurements (sensing) or observed entries
	// (completion); approximation observes every entry and ignores it.
	M int
	// Kappa is the condition number κ ≥ 1 of the spectrum (0 means 1) and
	// Spacing how its values are spread.
	Kappa   float64
	Spacing Spacing
	// Tail, for ApproxSym and ApproxAsym, is λ_{r+1}/λ_r ∈ [0, 1): the
	// values after the top Rank fall linearly from Tail/κ to 0, so the gap
	// λ_r − λ_{r+1} is (1 − Tail)/κ. 0 means an exactly rank-r Σ.
	Tail float64
	// Spectrum, when not nil, gives the values instead of Kappa, Spacing
	// and Tail (which must then be zero): the Rank singular values of X⋆
	// (sensing, completion; positive and finite), all N eigenvalues of Σ
	// (ApproxSym), or all min(N, N2) singular values of A (ApproxAsym);
	// for approximation they must be finite, ≥ 0 and non-increasing with
	// λ_r > λ_{r+1} and λ_r > 0.
	Spectrum []float64
	// Noise is the standard deviation of the Gaussian noise added to every
	// measurement of a sensing or completion instance, in the package
	// normalization (see Operator); 0 means none.
	Noise float64
	// Outliers is the probability, in [0, 1), that a measurement is
	// corrupted by an added N(0, OutlierStd²) value (after the Gaussian
	// noise; see Noise); OutlierStd 0 means 10.
	Outliers, OutlierStd float64
	// Alpha is the scale α of the initialization, whose entries are
	// N(0, σ²) with σ given by Scale (StdAlpha: σ = α; the default).
	Alpha float64
	Scale InitScale
}

// Build draws the problem and the initial factors of s from src, in this
// order: the truth (or Σ), the operator, the noise, the factors (L before
// R). The same s and seed give the same instance.
//
// Every field is the caller's choice, so an impossible one is a programmer
// error: Build panics with a message starting "lrsense:" if a dimension is
// out of range (N, Rank < 1; Rank > min(N, N2); M < 1, or M > N·N2 for
// completion), if RPrime < 0, if κ < 1, Tail ∉ [0, 1), Outliers ∉ [0, 1),
// a noise or scale parameter is negative or not finite, if Kind, Spacing
// or Scale is unknown, if Spectrum has the wrong length, values its doc
// excludes, or comes with Kappa, Spacing or Tail, if the instance does not
// fit in memory, or if src is nil.
func (s Instance) Build(src rand.Source) (*Problem, Factors) {
	s.check()
	checkNil("source", src)
	n1, n2, rp := s.N, s.N2, s.RPrime
	if n2 == 0 || s.Kind == PSDSensing || s.Kind == ApproxSym {
		n2 = n1
	}
	if rp == 0 {
		rp = s.Rank
	}
	kappa := s.Kappa
	if kappa == 0 {
		kappa = 1
	}
	sigma := s.Spectrum
	if sigma == nil {
		sigma = s.Spacing.Spectrum(s.Rank, kappa)
	}
	sym := s.Kind == PSDSensing || s.Kind == ApproxSym
	var p *Problem
	var err error
	switch s.Kind {
	case ApproxSym, ApproxAsym:
		spec := s.Spectrum
		if spec == nil {
			spec = s.approxSpectrum(sigma, min(n1, n2), kappa)
		}
		if sym {
			p, err = newApproxSymProblem(spec, s.Rank, src)
		} else {
			p, err = newApproxAsymProblem(n1, n2, spec, s.Rank, src)
		}
	default:
		p, err = s.sensing(n1, n2, sigma, src)
	}
	if err != nil {
		panic(err.Error())
	}
	x := Factors{L: RandomFactor(n1, rp, s.Alpha, s.Scale, src)}
	if !sym {
		x.R = RandomFactor(n2, rp, s.Alpha, s.Scale, src)
	}
	return p, x
}

// NewSource returns the package's standard source for a seed: a PCG
// generator. Everything random in a run is drawn from one such source.
func NewSource(seed uint64) rand.Source {
	return rand.NewPCG(seed, 0x853c49e6748fea9b)
}

// sensing builds the truth, operator and measurements of a sensing or
// completion instance.
func (s Instance) sensing(n1, n2 int, sigma []float64, src rand.Source) (*Problem, error) {
	var truth *Truth
	var op Operator
	var err error
	switch s.Kind {
	case PSDSensing:
		if truth, err = NewPSDTruth(n1, sigma, src); err == nil {
			op, err = NewSymGaussian(s.M, n1, src)
		}
	case AsymSensing:
		if truth, err = NewLowRankTruth(n1, n2, sigma, src); err == nil {
			op, err = NewGaussian(s.M, n1, n2, src)
		}
	case Completion:
		if truth, err = NewLowRankTruth(n1, n2, sigma, src); err == nil {
			op, err = NewEntrySampling(s.M, n1, n2, src)
		}
	}
	if err != nil {
		return nil, err
	}
	return NewProblem(op, truth, &Noise{Std: s.Noise, Outliers: s.Outliers, OutlierStd: s.OutlierStd}, src)
}

// approxSpectrum returns the k values of Σ's (or A's) spectrum: sigma, then
// k − r values falling linearly from Tail·σ_r to 0.
func (s Instance) approxSpectrum(sigma []float64, k int, kappa float64) []float64 {
	out := append(make([]float64, 0, k), sigma...)
	tail := k - len(sigma)
	for i := 0; i < tail; i++ {
		out = append(out, s.Tail*sigma[len(sigma)-1]*float64(tail-i)/float64(tail))
	}
	return out
}

// check panics unless s describes a possible instance.
func (s Instance) check() {
	bad := func(format string, args ...any) {
		panic(fmt.Sprintf("lrsense: Instance: "+format, args...))
	}
	n2 := s.N2
	if n2 == 0 || s.Kind == PSDSensing || s.Kind == ApproxSym {
		n2 = s.N
	}
	switch {
	case s.Kind < PSDSensing || s.Kind > ApproxAsym:
		bad("unknown Kind %d", s.Kind)
	case s.N < 1 || n2 < 1:
		bad("need N ≥ 1 (and N2 ≥ 0), got N=%d N2=%d", s.N, s.N2)
	case s.Rank < 1 || s.Rank > min(s.N, n2):
		bad("need 1 ≤ Rank ≤ min(N, N2) = %d, got %d", min(s.N, n2), s.Rank)
	case s.RPrime < 0:
		bad("need RPrime ≥ 0 (0 means Rank), got %d", s.RPrime)
	case s.N2 < 0:
		bad("need N2 ≥ 0 (0 means N), got %d", s.N2)
	case s.Kind == Completion && (s.M < 1 || (s.M-1)/n2 >= s.N): // M > N·N2, without overflow
		bad("completion needs 1 ≤ M ≤ N·N2 = %d, got %d", s.N*n2, s.M)
	case (s.Kind == PSDSensing || s.Kind == AsymSensing) && s.M < 1:
		bad("sensing needs M ≥ 1 measurements, got %d", s.M)
	case s.Kappa != 0 && !(s.Kappa >= 1) || math.IsInf(s.Kappa, 0):
		bad("need a finite κ ≥ 1 (0 means 1), got %v", s.Kappa)
	case !(s.Tail >= 0 && s.Tail < 1):
		bad("need Tail in [0, 1), got %v", s.Tail)
	case !finiteNonNeg(s.Noise) || !finiteNonNeg(s.OutlierStd) || !finiteNonNeg(s.Alpha):
		bad("Noise, OutlierStd and Alpha must be finite and ≥ 0, got %v, %v, %v", s.Noise, s.OutlierStd, s.Alpha)
	case !(s.Outliers >= 0 && s.Outliers < 1):
		bad("need an outlier probability in [0, 1), got %v", s.Outliers)
	case (s.Kind == ApproxSym || s.Kind == ApproxAsym) && (s.Noise != 0 || s.Outliers != 0):
		bad("approximation observes every entry exactly: Noise and Outliers must be 0")
	case s.Spacing != Linear && s.Spacing != Geometric:
		bad("unknown Spacing %d", s.Spacing)
	case s.Scale < StdAlpha || s.Scale > StdAlphaOverSqrtCols:
		bad("unknown InitScale %d", s.Scale)
	case s.Spectrum != nil && (s.Kappa != 0 || s.Spacing != Linear || s.Tail != 0):
		bad("Spectrum replaces Kappa, Spacing and Tail: leave them zero")
	case s.Spectrum != nil && len(s.Spectrum) != s.spectrumLen(n2):
		bad("Spectrum needs %d values for this Kind, got %d", s.spectrumLen(n2), len(s.Spectrum))
	}
}

// spectrumLen is the length Spectrum must have.
func (s Instance) spectrumLen(n2 int) int {
	switch s.Kind {
	case ApproxSym:
		return s.N
	case ApproxAsym:
		return min(s.N, n2)
	}
	return s.Rank
}

func finiteNonNeg(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }
