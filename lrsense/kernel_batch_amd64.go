package lrsense

import "golang.org/x/sys/cpu"

//go:noescape
func dot4AccAVXAsm(a *float64, stride int, x *float64, n int, acc *[32]float64)

//go:noescape
func axpy4StrideAVXAsm(dst, a *float64, n, stride int, r *[4]float64)

// dot4Acc continues dot4Asm's main loop over columns lo…hi−1 (hi − lo a
// positive multiple of 8) of the block blk of four rows of length c, with
// the accumulators in acc.
func dot4Acc(acc *[32]float64, blk []float64, c, lo, hi int, x []float64) {
	_ = blk[3*c+hi-1]
	_ = x[hi-1]
	dot4AccAVXAsm(&blk[lo], c, &x[lo], hi-lo, acc)
}

// axpy4Stride is axpy4Asm on columns lo…hi−1 (hi > lo) of the block blk
// of four rows of length c.
func axpy4Stride(dst []float64, blk []float64, c, lo, hi int, r *[4]float64) {
	_ = blk[3*c+hi-1]
	_ = dst[hi-1]
	axpy4StrideAVXAsm(&dst[lo], &blk[lo], hi-lo, c, r)
}

//go:noescape
func dot4x4AVX512Asm(a *float64, stride int, xs *[4]*float64, n int, acc *[4][32]float64)

//go:noescape
func axpy4x4AVX512Asm(dsts *[4]*float64, a *float64, n, stride int, r *[4][4]float64)

// hasAVX512 reports whether the CPU and OS support the 8-wide kernels of
// the batched pass.
var hasAVX512 = hasAsmKernels && cpu.X86.HasAVX512F

// dot4x4 is dot4Acc for the four iterates x[0..3] at once (AVX-512);
// columns lo…hi−1, hi − lo a positive multiple of 8.
func dot4x4(acc *[4][32]float64, blk []float64, c, lo, hi int, x *[4][]float64) {
	_ = blk[3*c+hi-1]
	var xs [4]*float64
	for i := range xs {
		_ = x[i][hi-1]
		xs[i] = &x[i][lo]
	}
	dot4x4AVX512Asm(&blk[lo], c, &xs, hi-lo, acc)
}

// axpy4x4 is axpy4Stride for four iterates at once (AVX-512); columns
// lo…hi−1, hi − lo a positive multiple of 8.
func axpy4x4(dst *[4][]float64, blk []float64, c, lo, hi int, r *[4][4]float64) {
	_ = blk[3*c+hi-1]
	var ds [4]*float64
	for i := range ds {
		_ = dst[i][hi-1]
		ds[i] = &dst[i][lo]
	}
	axpy4x4AVX512Asm(&ds, &blk[lo], hi-lo, c, r)
}
