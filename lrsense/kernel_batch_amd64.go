package lrsense

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
