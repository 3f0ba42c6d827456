package lrsense

import (
	"os"

	"golang.org/x/sys/cpu"
	"gonum.org/v1/gonum/blas/blas64"
)

// avxKernels use AVX2 and FMA (kernel_amd64.s).
var avxKernels = kernels{name: "avx2", asm: true}

// hasAsmKernels reports whether the CPU can run the assembly kernels.
var hasAsmKernels = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// The operators use the assembly kernels when the CPU has AVX2 and FMA,
// unless the environment sets LRSENSE_NOASM (to any value): then they use
// the pure-Go kernels, as on other CPUs, e.g. to compare results bit for
// bit with a machine without AVX2, or to run the tests on the fallback.
func init() {
	if hasAsmKernels && os.Getenv("LRSENSE_NOASM") == "" {
		fastKernels = avxKernels
		if hasAVX512 {
			fastKernels = kernels{name: "avx2+avx512", asm: true, wide: true}
		}
	}
}

//go:noescape
func dot4AVXAsm(a, x *float64, n, stride int, out *[4]float64)

//go:noescape
func axpy4AVXAsm(dst, a *float64, n, stride int, r *[4]float64)

func dot4Asm(out *[4]float64, a []float64, stride int, x []float64) {
	n := len(x)
	if n == 0 {
		*out = [4]float64{}
		return
	}
	if stride < n {
		panic("lrsense: block stride shorter than its rows")
	}
	_ = a[3*stride+n-1]
	dot4AVXAsm(&a[0], &x[0], n, stride, out)
}

func axpy4Asm(dst, a []float64, stride int, r *[4]float64) {
	n := len(dst)
	if n == 0 {
		return
	}
	if stride < n {
		panic("lrsense: block stride shorter than its rows")
	}
	_ = a[3*stride+n-1]
	axpy4AVXAsm(&dst[0], &a[0], n, stride, r)
}

//go:noescape
func mulABt8AVXAsm(a *float64, lda, m, k int, bt *float64, c *float64, ldc int)

// mulABt8 stores columns j…j+7 of a·bᵀ in c (see mulABt), bt holding
// those rows of b transposed.
func mulABt8(c, a blas64.General, bt []float64, j int) {
	k := a.Cols
	_ = a.Data[(a.Rows-1)*a.Stride+k-1]
	_ = bt[8*k-1]
	_ = c.Data[(a.Rows-1)*c.Stride+j+7]
	mulABt8AVXAsm(&a.Data[0], a.Stride, a.Rows, k, &bt[0], &c.Data[j], c.Stride)
}

//go:noescape
func addAVXAsm(dst, src *float64, n int)

//go:noescape
func mulNarrowRowAVXAsm(c, a *float64, as, k int, b *float64, ldb int, masks *[4][4]uint64)

// mulNarrowRow stores row i of op(a)·b in c (see mulNarrow); b has n ≤ 16
// columns and k > 0 rows, masks selects the first n lanes of four vectors.
func mulNarrowRow(c, a blas64.General, ta bool, b blas64.General, i int, masks *[4][4]uint64) {
	k, n := b.Rows, b.Cols
	lo, as := i*a.Stride, 1
	if ta {
		lo, as = i, a.Stride
	}
	_ = a.Data[lo+(k-1)*as]
	_ = b.Data[(k-1)*b.Stride+n-1]
	_ = c.Data[i*c.Stride+n-1]
	mulNarrowRowAVXAsm(&c.Data[i*c.Stride], &a.Data[lo], as, k, &b.Data[0], b.Stride, masks)
}

//go:noescape
func mulNarrow2RowAVXAsm(c *float64, ldc int, a *float64, ars, as, k int, b *float64, ldb int)

// mulNarrow2Row stores rows i and i+1 of op(a)·b in c as mulNarrowRow
// does, for a b of exactly 16 columns and k > 0 rows.
func mulNarrow2Row(c, a blas64.General, ta bool, b blas64.General, i int) {
	k := b.Rows
	lo, ars, as := i*a.Stride, a.Stride, 1
	if ta {
		lo, ars, as = i, 1, a.Stride
	}
	_ = a.Data[lo+ars+(k-1)*as]
	_ = b.Data[(k-1)*b.Stride+15]
	_ = c.Data[(i+1)*c.Stride+15]
	mulNarrow2RowAVXAsm(&c.Data[i*c.Stride], c.Stride, &a.Data[lo], ars, as, k, &b.Data[0], b.Stride)
}
