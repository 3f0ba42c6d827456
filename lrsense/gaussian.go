package lrsense

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// gaussianOp is the dense Gaussian sensing operator of NewGaussian: each
// A_i has i.i.d. N(0, 1) entries and 𝒜(Z)_i = ⟨A_i, Z⟩/√m, so E[𝒜*𝒜] = I on all of
// ℝ^{n1×n2}. It stores the m×(n1·n2) matrix of the A_i, already scaled by
// 1/√m, and implements ResidualAdjointer: the residual and the adjoint are
// computed in one pass over the stored matrix, in parallel over fixed
// blocks of measurements whose sums are added in a fixed order, so results
// do not depend on the number of cores. On amd64 CPUs with AVX2 and FMA the
// pass runs assembly kernels, elsewhere (or with the environment variable
// LRSENSE_NOASM set) pure-Go ones; the two differ only in rounding. It is
// safe for concurrent use.
type gaussianOp struct {
	m, n1, n2 int
	rows      *rowMatrix // row i is vec(A_i)/√m, row-major
}

// NewGaussian draws the dense Gaussian operator from src: each A_i has
// i.i.d. N(0, 1) entries, so E[𝒜*𝒜] = I on all of ℝ^{n1×n2}; the residual
// and adjoint are computed in one pass whose result does not depend on the
// number of cores, and the operator is safe for concurrent use. The entries are
// drawn in the order A_1 row by row, then A_2, …, so the operator depends
// only on (m, n1, n2) and the source. It returns an error wrapping
// ErrBadParam if a dimension is not positive or if the 8·m·n1·n2 bytes of
// the operator overflow int or exceed 2⁴⁸ (checked before allocating). It
// panics if src is nil.
func NewGaussian(m, n1, n2 int, src rand.Source) (Operator, error) {
	checkNil("source", src)
	if m < 1 || n1 < 1 || n2 < 1 {
		return nil, badParam("Gaussian operator needs m, n1, n2 ≥ 1, got m=%d n1=%d n2=%d", m, n1, n2)
	}
	if err := checkAlloc("Gaussian operator", 8, m, n1, n2); err != nil {
		return nil, err
	}
	rnd := rand.New(src)
	s := 1 / math.Sqrt(float64(m))
	rows := newRowMatrix(m, n1*n2)
	for i := 0; i < m; i++ {
		row := rows.row(i)
		for k := range row {
			row[k] = s * rnd.NormFloat64()
		}
	}
	return &gaussianOp{m: m, n1: n1, n2: n2, rows: rows}, nil
}

// Dims returns m, n1 and n2.
func (g *gaussianOp) Dims() (m, n1, n2 int) { return g.m, g.n1, g.n2 }

// Bytes returns the size of the stored measurement matrices, 8·m·n1·n2.
// A pass also keeps a workspace of at most 15 partial sums of 𝒜*(r) (8·n1·n2
// bytes each) per concurrent call, which Bytes does not count.
func (g *gaussianOp) Bytes() int { return 8 * g.m * g.rows.c }

// Measurement returns A_i (unscaled, with N(0,1) entries) as a new matrix.
func (g *gaussianOp) Measurement(i int) *mat.Dense {
	row := g.rows.row(i)
	out := mat.NewDense(g.n1, g.n2, nil)
	s := math.Sqrt(float64(g.m))
	for k, v := range row {
		out.Set(k/g.n2, k%g.n2, s*v)
	}
	return out
}

// ApplyTo stores 𝒜(x) in dst.
func (g *gaussianOp) ApplyTo(dst *mat.VecDense, x mat.Matrix) {
	checkedPass(g.passMap, g.m, g.n1, g.n2, modeApply, nil, dst, nil, x, nil, nil)
}

// AdjointTo stores 𝒜*(y) in dst.
func (g *gaussianOp) AdjointTo(dst *mat.Dense, y mat.Vector) {
	checkedPass(g.passMap, g.m, g.n1, g.n2, modeAdjoint, dst, nil, nil, nil, y, nil)
}

// ResidualAdjointTo stores r = 𝒜(x) − y in r and 𝒜*(r) in dst, reading
// each A_i once.
func (g *gaussianOp) ResidualAdjointTo(dst *mat.Dense, r *mat.VecDense, x mat.Matrix, y mat.Vector) {
	checkedPass(g.passMap, g.m, g.n1, g.n2, modeFused, dst, r, nil, x, y, nil)
}

// ResidualMapAdjointTo stores r = 𝒜(x) − y in r, s_i = f(r_i) in s and
// 𝒜*(s) in dst, reading each A_i once.
func (g *gaussianOp) ResidualMapAdjointTo(dst *mat.Dense, r, s *mat.VecDense, x mat.Matrix, y mat.Vector, f func(float64) float64) {
	checkedPass(g.passMap, g.m, g.n1, g.n2, modeMapped, dst, r, s, x, y, f)
}

// pass runs one pass of the given mode with kernels k. In modeAdjoint, y
// holds the vector to take the adjoint of and r is not used.
func (g *gaussianOp) pass(k kernels, mode passMode, dst *mat.Dense, r *mat.VecDense, x mat.Matrix, y mat.Vector) {
	g.passMap(k, mode, dst, r, nil, x, y, nil)
}

// passMap is pass with the s and f of modeMapped.
func (g *gaussianOp) passMap(k kernels, mode passMode, dst *mat.Dense, r, s *mat.VecDense, x mat.Matrix, y mat.Vector, f func(float64) float64) {
	rowPass(g, k, mode, dst, r, s, x, y, f)
}

// checkedPass is the body of the public methods of gaussianOp and
// symGaussianOp, an m×(n1×n2) operator whose row pass is pass: it panics on
// a shape mismatch of x (n1×n2) or y (length m), sizes the destinations
// that are given (r and s of length m, dst n1×n2; in modeApply the result
// vector is r) and runs pass with the fast kernels.
func checkedPass(pass func(kernels, passMode, *mat.Dense, *mat.VecDense, *mat.VecDense, mat.Matrix, mat.Vector, func(float64) float64),
	m, n1, n2 int, mode passMode, dst *mat.Dense, r, s *mat.VecDense, x mat.Matrix, y mat.Vector, f func(float64) float64) {
	if x != nil {
		checkMatrix("x", x, n1, n2)
	}
	if y != nil && y.Len() != m {
		panic(errLen("y", y.Len(), m))
	}
	if r != nil {
		prepVec(r, m)
	}
	if s != nil {
		prepVec(s, m)
	}
	if dst != nil {
		prepDense(dst, n1, n2)
	}
	pass(fastKernels, mode, dst, r, s, x, y, f)
}

// vecCopy returns the entries of v: its own storage when v is a
// contiguous *mat.VecDense, else a copy in *buf (inBuf true).
func vecCopy(buf *[]float64, v mat.Vector) (s []float64, inBuf bool) {
	if d, ok := v.(*mat.VecDense); ok {
		if raw := d.RawVector(); raw.Inc == 1 {
			return raw.Data[:d.Len()], false
		}
	}
	b := grow(buf, v.Len())
	for i := range b {
		b[i] = v.AtVec(i)
	}
	return b, true
}

// vecDest returns where to write the entries of r: its own storage when r
// is contiguous, else scratch space that vecStore copies back. The scratch
// is *buf unless that holds y (yInBuf), then a new slice.
func vecDest(buf *[]float64, r *mat.VecDense, yInBuf bool) []float64 {
	if raw := r.RawVector(); raw.Inc == 1 {
		return raw.Data[:r.Len()]
	}
	if yInBuf {
		return make([]float64, r.Len())
	}
	return grow(buf, r.Len())
}

// vecStore copies s into r unless s is r's storage.
func vecStore(r *mat.VecDense, s []float64) {
	if raw := r.RawVector(); raw.Inc == 1 {
		return
	}
	for i, v := range s {
		r.SetVec(i, v)
	}
}

// grow returns (*buf)[:n], reallocating *buf if it is too short.
func grow(buf *[]float64, n int) []float64 {
	if cap(*buf) < n {
		*buf = make([]float64, n)
	}
	return (*buf)[:n]
}

// symGaussianOp is the symmetric (GOE-type) Gaussian sensing operator on n×n
// matrices: A_i = (G_i + G_iᵀ)/2 with G_i i.i.d. N(0, 1) entries, so the
// diagonal of A_i has variance 1 and the off-diagonal entries variance ½.
// For symmetric Z, ⟨A_i, Z⟩ has variance ‖Z‖_F², hence E[𝒜*𝒜] = I on
// symmetric matrices. It applies to any n×n matrix; 𝒜*(y) is symmetric.
//
// It stores only the upper triangle of each A_i/√m, packed row by row
// (n(n+1)/2 entries, about half of the n² of a dense matrix), and computes
// ⟨A_i, Z⟩ = Σ_j a_jj z_jj + Σ_{j<k} a_jk (z_jk + z_kj) on the packed
// symmetric sum of Z. Like Gaussian, it computes the residual and the
// adjoint in one pass, with results that do not depend on the number of
// cores, and is safe for concurrent use.
type symGaussianOp struct {
	m, n int
	rows *rowMatrix // row i is the packed upper triangle of A_i/√m
}

// NewSymGaussian draws the symmetric (GOE-type) Gaussian operator on n×n
// matrices from src: A_i = (G_i + G_iᵀ)/2 with G_i i.i.d. N(0, 1), so
// E[𝒜*𝒜] = I on symmetric matrices; it stores half of each A_i and, like
// NewGaussian's operator, makes one pass per residual and adjoint. For each i,
// the n² entries of G_i row by row, of which A_i keeps (G_i + G_iᵀ)/2. It
// returns an error wrapping ErrBadParam if m or n is not positive or if the
// 8·m·n(n+1)/2 bytes of the operator overflow int or exceed 2⁴⁸ (checked
// before allocating). It panics if src is nil.
func NewSymGaussian(m, n int, src rand.Source) (Operator, error) {
	checkNil("source", src)
	if m < 1 || n < 1 {
		return nil, badParam("symmetric Gaussian operator needs m, n ≥ 1, got m=%d n=%d", m, n)
	}
	var err error
	if n%2 == 0 {
		err = checkAlloc("symmetric Gaussian operator", 8, m, n/2, n+1)
	} else {
		err = checkAlloc("symmetric Gaussian operator", 8, m, n, (n+1)/2)
	}
	if err != nil {
		return nil, err
	}
	rnd := rand.New(src)
	s := 1 / math.Sqrt(float64(m))
	c := n * (n + 1) / 2
	rows := newRowMatrix(m, c)
	gi := make([]float64, n*n)
	for i := 0; i < m; i++ {
		for k := range gi {
			gi[k] = rnd.NormFloat64()
		}
		p := rows.row(i)
		for j := 0; j < n; j++ {
			p[0] = s * gi[j*n+j]
			for k := j + 1; k < n; k++ {
				p[k-j] = s * (gi[j*n+k] + gi[k*n+j]) / 2
			}
			p = p[n-j:]
		}
	}
	return &symGaussianOp{m: m, n: n, rows: rows}, nil
}

// Dims returns m, n and n.
func (o *symGaussianOp) Dims() (m, n1, n2 int) { return o.m, o.n, o.n }

// Bytes returns the size of the stored packed triangles, 8·m·n(n+1)/2,
// not counting the workspace of a pass (at most 15 packed partial sums of
// 𝒜*(r) per concurrent call).
func (o *symGaussianOp) Bytes() int { return 8 * o.m * o.rows.c }

// Measurement returns A_i (unscaled) as a new symmetric matrix.
func (o *symGaussianOp) Measurement(i int) *mat.Dense {
	p := o.rows.row(i)
	out := mat.NewDense(o.n, o.n, nil)
	s := math.Sqrt(float64(o.m))
	for j := 0; j < o.n; j++ {
		for k := j; k < o.n; k++ {
			v := s * p[k-j]
			out.Set(j, k, v)
			out.Set(k, j, v)
		}
		p = p[o.n-j:]
	}
	return out
}

// ApplyTo stores 𝒜(x) in dst.
func (o *symGaussianOp) ApplyTo(dst *mat.VecDense, x mat.Matrix) {
	checkedPass(o.passMap, o.m, o.n, o.n, modeApply, nil, dst, nil, x, nil, nil)
}

// AdjointTo stores 𝒜*(y) in dst.
func (o *symGaussianOp) AdjointTo(dst *mat.Dense, y mat.Vector) {
	checkedPass(o.passMap, o.m, o.n, o.n, modeAdjoint, dst, nil, nil, nil, y, nil)
}

// ResidualAdjointTo stores r = 𝒜(x) − y in r and 𝒜*(r) in dst, reading
// each packed A_i once.
func (o *symGaussianOp) ResidualAdjointTo(dst *mat.Dense, r *mat.VecDense, x mat.Matrix, y mat.Vector) {
	checkedPass(o.passMap, o.m, o.n, o.n, modeFused, dst, r, nil, x, y, nil)
}

// ResidualMapAdjointTo stores r = 𝒜(x) − y in r, s_i = f(r_i) in s and
// 𝒜*(s) in dst, reading each packed A_i once.
func (o *symGaussianOp) ResidualMapAdjointTo(dst *mat.Dense, r, s *mat.VecDense, x mat.Matrix, y mat.Vector, f func(float64) float64) {
	checkedPass(o.passMap, o.m, o.n, o.n, modeMapped, dst, r, s, x, y, f)
}

// pass packs x, runs the pass with kernels k and unpacks g into dst.
func (o *symGaussianOp) pass(k kernels, mode passMode, dst *mat.Dense, r *mat.VecDense, x mat.Matrix, y mat.Vector) {
	o.passMap(k, mode, dst, r, nil, x, y, nil)
}

// passMap is pass with the s and f of modeMapped.
func (o *symGaussianOp) passMap(k kernels, mode passMode, dst *mat.Dense, r, s *mat.VecDense, x mat.Matrix, y mat.Vector, f func(float64) float64) {
	rowPass(o, k, mode, dst, r, s, x, y, f)
}

// rowPass makes a pass of a dense operator with kernels k: it packs x into
// the operator's row-vector form, runs the pass over its rows and unpacks
// g into dst. x, y and the results go through a workspace, so dst may
// share x's storage and r may alias y.
func rowPass(op batchOp, k kernels, mode passMode, dst *mat.Dense, r, s *mat.VecDense, x mat.Matrix, y mat.Vector, f func(float64) float64) {
	rm := op.rowMat()
	w := rm.getWork()
	defer rm.putWork(w)
	var xs, ys, rs, gs []float64
	if x != nil {
		xs = grow(&w.x, rm.c)
		op.packX(xs, x)
	}
	var yInBuf bool
	if y != nil {
		ys, yInBuf = vecCopy(&w.y, y)
	}
	if mode == modeAdjoint {
		rs = ys
	} else {
		rs = vecDest(&w.y, r, yInBuf)
	}
	if dst != nil {
		gs = grow(&w.g, rm.c)
	}
	var ss []float64
	if s != nil {
		ss = vecDest(&w.s, s, false)
	}
	rm.pass(w, k, mode, gs, rs, ss, xs, ys, f)
	if dst != nil {
		op.unpackG(dst, gs)
	}
	if r != nil {
		vecStore(r, rs)
	}
	if s != nil {
		vecStore(s, ss)
	}
}

// residualMapAdjointer is implemented by operators that compute, in one
// pass, r = 𝒜(x) − y, s_i = f(r_i) and 𝒜*(s). ResidualMapAdjointTo uses it
// when it is there.
type residualMapAdjointer interface {
	ResidualMapAdjointTo(g *mat.Dense, r, s *mat.VecDense, x mat.Matrix, y mat.Vector, f func(float64) float64)
}

// residualMapAdjointTo stores r = 𝒜(x) − y in r, s_i = f(r_i) in s and
// g = 𝒜*(s) in g: the pass of a method that maps each residual before the
// adjoint, such as the sub-gradient method of Ma & Fattahi (2023) with
// Q = 𝒜*(Sign(𝒜(UUᵀ) − y))/√m (see SubGM). gaussianOp and symGaussianOp do it
// in one pass over their stored measurements instead of two. f may be
// called from several goroutines at once and in any order, so it must be a
// pure function of its argument. s may be r (it then ends up holding f(r)).
// It panics on shape mismatches as residualAdjointTo does.
func residualMapAdjointTo(op Operator, g *mat.Dense, r, s *mat.VecDense, x mat.Matrix, y mat.Vector, f func(float64) float64) {
	if o, ok := op.(residualMapAdjointer); ok {
		o.ResidualMapAdjointTo(g, r, s, x, y, f)
		return
	}
	m, _, _ := op.Dims()
	if y.Len() != m {
		panic(errLen("y", y.Len(), m))
	}
	op.ApplyTo(r, x)
	r.SubVec(r, y)
	prepVec(s, m)
	for i := 0; i < m; i++ {
		s.SetVec(i, f(r.AtVec(i)))
	}
	op.AdjointTo(g, s)
}

// packX stores x row by row.
func (g *gaussianOp) packX(dst []float64, x mat.Matrix) {
	if d, ok := x.(*mat.Dense); ok {
		raw := d.RawMatrix()
		for i := 0; i < g.n1; i++ {
			copy(dst[i*g.n2:(i+1)*g.n2], raw.Data[i*raw.Stride:])
		}
		return
	}
	for i := 0; i < g.n1; i++ {
		for j := 0; j < g.n2; j++ {
			dst[i*g.n2+j] = x.At(i, j)
		}
	}
}

// unpackG stores the adjoint s, held row by row, in dst.
func (g *gaussianOp) unpackG(dst *mat.Dense, s []float64) {
	raw := dst.RawMatrix()
	for i := 0; i < g.n1; i++ {
		copy(raw.Data[i*raw.Stride:i*raw.Stride+g.n2], s[i*g.n2:])
	}
}

// packX stores the packed symmetric sum of x: x_jj, then x_jk + x_kj for
// k > j, row by row.
func (o *symGaussianOp) packX(dst []float64, x mat.Matrix) {
	n, p := o.n, dst
	if d, ok := x.(*mat.Dense); ok {
		raw := d.RawMatrix()
		for j := 0; j < n; j++ {
			row := raw.Data[j*raw.Stride : j*raw.Stride+n]
			p[0] = row[j]
			for k := j + 1; k < n; k++ {
				p[k-j] = row[k] + raw.Data[k*raw.Stride+j]
			}
			p = p[n-j:]
		}
		return
	}
	for j := 0; j < n; j++ {
		p[0] = x.At(j, j)
		for k := j + 1; k < n; k++ {
			p[k-j] = x.At(j, k) + x.At(k, j)
		}
		p = p[n-j:]
	}
}

// unpackG stores the symmetric matrix whose packed upper triangle is s.
func (o *symGaussianOp) unpackG(dst *mat.Dense, s []float64) {
	raw := dst.RawMatrix()
	n, p := o.n, s
	for j := 0; j < n; j++ {
		for k := j; k < n; k++ {
			v := p[k-j]
			raw.Data[j*raw.Stride+k] = v
			raw.Data[k*raw.Stride+j] = v
		}
		p = p[n-j:]
	}
}
