package lrsense

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Operator is a linear measurement map 𝒜: ℝ^{n1×n2} → ℝ^m and its adjoint.
//
// Every operator in this package follows one normalization,
//
//	𝒜(Z)_i = ⟨A_i, Z⟩ / √m,   i = 1…m,
//
// with A_i random with unit-variance entries (see each constructor), so
// that E[𝒜*𝒜] = I on the matrices the operator is meant for. Papers that
// use 𝒜(Z)_i = ⟨A_i, Z⟩ without the 1/√m, or a 1/m in front of the loss,
// differ from this by explicit constant factors that each notebook states.
type Operator interface {
	// Dims returns the number of measurements m and the shape n1×n2 of
	// the matrices the operator measures.
	Dims() (m, n1, n2 int)

	// ApplyTo stores 𝒜(x) in dst. It panics if x is not n1×n2 or if dst
	// is not empty and not of length m; an empty dst is resized.
	ApplyTo(dst *mat.VecDense, x mat.Matrix)

	// AdjointTo stores 𝒜*(y) = Σ_i y_i A_i/√m in dst. It panics if y is
	// not of length m or if dst is not empty and not n1×n2.
	AdjointTo(dst *mat.Dense, y mat.Vector)
}

// residualAdjointer is implemented by operators that compute the residual
// r = 𝒜(x) − y and g = 𝒜*(r) in one pass. residualAdjointTo uses it when
// it is there.
type residualAdjointer interface {
	ResidualAdjointTo(g *mat.Dense, r *mat.VecDense, x mat.Matrix, y mat.Vector)
}

// residualAdjointTo stores r = 𝒜(x) − y in r and g = 𝒜*(r) in g, the pass
// over the operator that every first-order method makes once per iteration.
// It uses the operator's fused method when it has one.
func residualAdjointTo(op Operator, g *mat.Dense, r *mat.VecDense, x mat.Matrix, y mat.Vector) {
	if f, ok := op.(residualAdjointer); ok {
		f.ResidualAdjointTo(g, r, x, y)
		return
	}
	m, _, _ := op.Dims()
	if y.Len() != m {
		panic(errLen("y", y.Len(), m))
	}
	op.ApplyTo(r, x)
	r.SubVec(r, y)
	op.AdjointTo(g, r)
}

// sizer is implemented by operators that can report how many bytes their
// stored measurement data occupies.
type sizer interface {
	Bytes() int
}

// fullObservation is the identity operator: 𝒜(Z) = vec(Z) in row-major order, so
// m = n1·n2 and 𝒜*𝒜 = I exactly. With it, matrix sensing is low-rank
// approximation of the matrix whose entries are y.
type fullObservation struct {
	n1, n2 int
}

// newFullObservation returns the identity operator on n1×n2 matrices. It returns
// an error wrapping ErrBadParam if a dimension is not positive.
func newFullObservation(n1, n2 int) (*fullObservation, error) {
	if n1 < 1 || n2 < 1 {
		return nil, badParam("identity operator needs n1, n2 ≥ 1, got %d, %d", n1, n2)
	}
	return &fullObservation{n1: n1, n2: n2}, nil
}

// Dims returns n1·n2, n1 and n2.
func (o *fullObservation) Dims() (m, n1, n2 int) { return o.n1 * o.n2, o.n1, o.n2 }

// Bytes returns 0: the identity stores nothing.
func (o *fullObservation) Bytes() int { return 0 }

// ApplyTo stores vec(x) in dst.
func (o *fullObservation) ApplyTo(dst *mat.VecDense, x mat.Matrix) {
	checkMatrix("x", x, o.n1, o.n2)
	prepVec(dst, o.n1*o.n2)
	for i := 0; i < o.n1; i++ {
		for j := 0; j < o.n2; j++ {
			dst.SetVec(i*o.n2+j, x.At(i, j))
		}
	}
}

// AdjointTo stores y, reshaped row-major to n1×n2, in dst.
func (o *fullObservation) AdjointTo(dst *mat.Dense, y mat.Vector) {
	if y.Len() != o.n1*o.n2 {
		panic(errLen("y", y.Len(), o.n1*o.n2))
	}
	prepDense(dst, o.n1, o.n2)
	for i := 0; i < o.n1; i++ {
		for j := 0; j < o.n2; j++ {
			dst.Set(i, j, y.AtVec(i*o.n2+j))
		}
	}
}

// entrySampling observes m distinct entries of an n1×n2 matrix, chosen
// uniformly without replacement (matrix completion). Following the package
// normalization, 𝒜(Z)_k = √(n1·n2/m)·Z[i_k, j_k], so E[𝒜*𝒜] = I; an
// observed entry is y_k/√(n1·n2/m).
type entrySampling struct {
	n1, n2 int
	idx    []int // row-major indices i*n2+j of the observed entries, sorted
	scale  float64
}

// NewEntrySampling returns the completion operator that observes m
// distinct entries of an n1×n2 matrix, chosen uniformly without
// replacement with src: 𝒜(Z)_k = √(n1·n2/m)·Z[i_k, j_k], so E[𝒜*𝒜] = I
// and an observed entry is y_k/√(n1·n2/m). It returns an error
// wrapping ErrBadParam unless 1 ≤ m ≤ n1·n2, or if the permutation of the
// n1·n2 entries it draws from does not fit in memory. It panics if src is
// nil.
func NewEntrySampling(m, n1, n2 int, src rand.Source) (Operator, error) {
	checkNil("source", src)
	if n1 >= 1 && n2 >= 1 {
		if err := checkAlloc("entry sampling permutation", 8, n1, n2); err != nil {
			return nil, err
		}
	}
	if n1 < 1 || n2 < 1 || m < 1 || m > n1*n2 {
		return nil, badParam("entry sampling needs 1 ≤ m ≤ n1·n2, got m=%d n1=%d n2=%d", m, n1, n2)
	}
	rnd := rand.New(src)
	perm := rnd.Perm(n1 * n2)[:m]
	idx := append([]int(nil), perm...)
	slices.Sort(idx)
	return &entrySampling{n1: n1, n2: n2, idx: idx, scale: math.Sqrt(float64(n1*n2) / float64(m))}, nil
}

// Dims returns m, n1 and n2.
func (o *entrySampling) Dims() (m, n1, n2 int) { return len(o.idx), o.n1, o.n2 }

// Bytes returns the size of the stored indices.
func (o *entrySampling) Bytes() int { return 8 * len(o.idx) }

// Entry returns the row and column of the k-th observed entry.
func (o *entrySampling) Entry(k int) (i, j int) { return o.idx[k] / o.n2, o.idx[k] % o.n2 }

// Scale returns √(n1·n2/m), the factor applied to every observed entry.
func (o *entrySampling) Scale() float64 { return o.scale }

// ApplyTo stores the scaled sampled entries of x in dst.
func (o *entrySampling) ApplyTo(dst *mat.VecDense, x mat.Matrix) {
	checkMatrix("x", x, o.n1, o.n2)
	prepVec(dst, len(o.idx))
	for k, p := range o.idx {
		dst.SetVec(k, o.scale*x.At(p/o.n2, p%o.n2))
	}
}

// AdjointTo stores the sparse matrix with y_k·scale at each observed entry
// in dst.
func (o *entrySampling) AdjointTo(dst *mat.Dense, y mat.Vector) {
	if y.Len() != len(o.idx) {
		panic(errLen("y", y.Len(), len(o.idx)))
	}
	prepDense(dst, o.n1, o.n2)
	dst.Zero()
	for k, p := range o.idx {
		dst.Set(p/o.n2, p%o.n2, o.scale*y.AtVec(k))
	}
}
