package lrsense

// Vector kernels of the dense operators' pass (kernel_pass.go). A block is
// four rows of length n, stride elements apart (stride ≥ n): a[0:n],
// a[stride:stride+n], a[2·stride:2·stride+n] and a[3·stride:3·stride+n].
//
// The pure-Go kernels are the reference; on amd64 with AVX2 and FMA,
// kernel_amd64.go replaces them by assembly (kernel_amd64.s). The two agree
// up to rounding (a dot product is summed in another order), and each is
// deterministic: a kernel's result depends only on its inputs.

// kernels selects the kernels of a pass. Calls go through its methods,
// not through function values, so that the compiler sees the callees and
// the caller's small arrays stay on the stack.
type kernels struct {
	name string
	asm  bool // use the assembly kernels (only set when the CPU has them)
	// wide: the batched pass may use its AVX-512 kernels, four iterates
	// at a time (only set with asm, when the CPU has AVX-512F). They give
	// the results of the AVX2 kernels bit for bit.
	wide bool
}

// dot4 stores the dot products of the four rows of the block a with x in
// out; the rows have len(x) elements.
func (k kernels) dot4(out *[4]float64, a []float64, stride int, x []float64) {
	if k.asm {
		dot4Asm(out, a, stride, x)
		return
	}
	dot4Go(out, a, stride, x)
}

// axpy4 adds r[0]·a₀ + r[1]·a₁ + r[2]·a₂ + r[3]·a₃ to dst, for the rows
// a₀…a₃ of the block a; the rows have len(dst) elements.
func (k kernels) axpy4(dst, a []float64, stride int, r *[4]float64) {
	if k.asm {
		axpy4Asm(dst, a, stride, r)
		return
	}
	axpy4Go(dst, a, stride, r)
}

// add adds src to dst entrywise (the sums of the chunk sums of g). Each
// entry gets the one addition either way, so both kernels give the same
// bits.
func (k kernels) add(dst, src []float64) {
	src = src[:len(dst)]
	if k.asm && len(dst) > 0 {
		addAVXAsm(&dst[0], &src[0], len(dst))
		return
	}
	for i := range dst {
		dst[i] += src[i]
	}
}

// goKernels are the pure-Go reference kernels.
var goKernels = kernels{name: "go"}

// fastKernels are the kernels the operators use: the assembly ones when the
// CPU supports them (set in kernel_amd64.go), else goKernels.
var fastKernels = goKernels

func dot4Go(out *[4]float64, a []float64, stride int, x []float64) {
	n := len(x)
	a0, a1, a2, a3 := a[:n], a[stride:stride+n], a[2*stride:2*stride+n], a[3*stride:3*stride+n]
	var s0, s1, s2, s3 float64
	for k, v := range x {
		s0 += a0[k] * v
		s1 += a1[k] * v
		s2 += a2[k] * v
		s3 += a3[k] * v
	}
	out[0], out[1], out[2], out[3] = s0, s1, s2, s3
}

func axpy4Go(dst, a []float64, stride int, r *[4]float64) {
	n := len(dst)
	a0, a1, a2, a3 := a[:n], a[stride:stride+n], a[2*stride:2*stride+n], a[3*stride:3*stride+n]
	r0, r1, r2, r3 := r[0], r[1], r[2], r[3]
	for k := range dst {
		dst[k] += r0*a0[k] + r1*a1[k] + r2*a2[k] + r3*a3[k]
	}
}

// dot1 and axpy1 handle the last rows of a pass that do not fill a block.
func dot1(a, x []float64) float64 {
	a = a[:len(x)]
	var s float64
	for k, v := range x {
		s += a[k] * v
	}
	return s
}

func axpy1(dst, a []float64, r float64) {
	a = a[:len(dst)]
	for k := range dst {
		dst[k] += r * a[k]
	}
}
