package lrsense

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

//go:noescape
func dot4AccAVXAsm(a *float64, stride int, x *float64, n int, acc *[32]float64)

// dot4Acc continues dot4Asm's main loop over columns lo…hi−1 (hi − lo a
// positive multiple of 8) of the block blk of four rows stride apart, with
// the accumulators in acc.
func dot4Acc(acc *[32]float64, blk []float64, stride, lo, hi int, x []float64) {
	_ = blk[3*stride+hi-1]
	_ = x[hi-1]
	dot4AccAVXAsm(&blk[lo], stride, &x[lo], hi-lo, acc)
}

//go:noescape
func dotAxpy4AVXAsm(an, ac *float64, stride int, x, dst *float64, n int, acc *[32]float64, r *[4]float64)

// dotAxpy4 is dot4Acc on columns 0…n−1 of the block next and axpy4Asm
// on the same columns of the block cur, in one loop (n a positive multiple
// of 8; both blocks' rows stride apart).
func dotAxpy4(acc *[32]float64, next, cur []float64, stride int, x, dst []float64, n int, r *[4]float64) {
	_ = next[3*stride+n-1]
	_ = cur[3*stride+n-1]
	_ = x[n-1]
	_ = dst[n-1]
	dotAxpy4AVXAsm(&next[0], &cur[0], stride, &x[0], &dst[0], n, acc, r)
}

//go:noescape
func dot4x4AVX512Asm(a *float64, stride int, xs *[4]*float64, lo, n int, acc *[4][32]float64, pf *float64)

//go:noescape
func axpy4x4AVX512Asm(dsts *[4]*float64, lo int, a *float64, n, stride int, r *[4][4]float64, pf *float64)

//go:noescape
func dot4x2AVX512Asm(a *float64, stride int, xs *[2]*float64, lo, n int, acc *[2][32]float64, pf *float64)

//go:noescape
func axpy4x2AVX512Asm(dsts *[2]*float64, lo int, a *float64, n, stride int, r *[2][4]float64, pf *float64)

// hasAVX512 reports whether the CPU and OS support the 8-wide kernels of
// the batched pass.
var hasAVX512 = hasAsmKernels && cpu.X86.HasAVX512F

// dot4x4 is dot4Acc for four iterates at once (AVX-512), on columns
// lo…lo+n−1 (n a positive multiple of 8) of the block of four rows stride
// apart at a, against the iterates at xs; it prefetches n/8 cache lines
// from pf on (see prefetcher). The caller checks the bounds: the block
// holds 3·stride+lo+n elements from a and each xs[i] lo+n.
func dot4x4(acc *[4][32]float64, a *float64, stride int, xs *[4]*float64, lo, n int, pf *float64) {
	dot4x4AVX512Asm((*float64)(unsafe.Add(unsafe.Pointer(a), 8*lo)), stride, xs, lo, n, acc, pf)
}

// axpy4x4 is axpy4Asm for four iterates at once (AVX-512), on columns
// lo…lo+n−1 (n a positive multiple of 8) of dsts; bounds and pf as in
// dot4x4.
func axpy4x4(dsts *[4]*float64, a *float64, stride, lo, n int, r *[4][4]float64, pf *float64) {
	axpy4x4AVX512Asm(dsts, lo, (*float64)(unsafe.Add(unsafe.Pointer(a), 8*lo)), n, stride, r, pf)
}

// dot4x2 is dot4x4 for two iterates.
func dot4x2(acc *[2][32]float64, a *float64, stride int, xs *[2]*float64, lo, n int, pf *float64) {
	dot4x2AVX512Asm((*float64)(unsafe.Add(unsafe.Pointer(a), 8*lo)), stride, xs, lo, n, acc, pf)
}

// axpy4x2 is axpy4x4 for two iterates.
func axpy4x2(dsts *[2]*float64, a *float64, stride, lo, n int, r *[2][4]float64, pf *float64) {
	axpy4x2AVX512Asm(dsts, lo, (*float64)(unsafe.Add(unsafe.Pointer(a), 8*lo)), n, stride, r, pf)
}

//go:noescape
func dotAxpy8AVX512Asm(an, ac *float64, stride int, x, dst *float64, n int, acc *[2][32]float64, r *[8]float64)

// dotAxpy8 is dotAxpy4 for blocks of eight rows (AVX-512): dot4Acc on
// columns 0…n−1 of the eight rows at next (accumulators of rows 0–3 in
// acc[0], 4–7 in acc[1]) and axpy4Asm of rows 0–3, then 4–7, of cur with
// multipliers r into dst, in one loop (n a positive multiple of 8).
func dotAxpy8(acc *[2][32]float64, next, cur []float64, stride int, x, dst []float64, n int, r *[8]float64) {
	_ = next[7*stride+n-1]
	_ = cur[7*stride+n-1]
	_ = x[n-1]
	_ = dst[n-1]
	dotAxpy8AVX512Asm(&next[0], &cur[0], stride, &x[0], &dst[0], n, acc, r)
}

//go:noescape
func dotAxpy8x2AVX512Asm(an, ac *float64, stride int, x, dst *float64, vstride, n int, acc *[2][2][32]float64, r *[2][8]float64)

// dotAxpy8x2 is dotAxpy8 for two iterates, whose x (and dst) are the
// vstride elements apart at x (and dst) (AVX-512). The caller checks the
// bounds: the blocks hold 7·stride+n elements and x and dst vstride+n.
func dotAxpy8x2(acc *[2][2][32]float64, next, cur *float64, stride int, x, dst *float64, vstride, n int, r *[2][8]float64) {
	dotAxpy8x2AVX512Asm(next, cur, stride, x, dst, vstride, n, acc, r)
}

//go:noescape
func dotAxpy4x4pAVX512Asm(an, ac *float64, stride int, x, dst *float64, vstride, n int, acc *[4][32]float64, r *[4][4]float64)

// dotAxpy4x4p is dotAxpy4 for four iterates (AVX-512), whose x (and dst)
// are vstride elements apart from x (and dst) on. The caller checks the
// bounds: the blocks hold 3·stride+n elements and x and dst 3·vstride+n.
func dotAxpy4x4p(acc *[4][32]float64, next, cur *float64, stride int, x, dst *float64, vstride, n int, r *[4][4]float64) {
	dotAxpy4x4pAVX512Asm(next, cur, stride, x, dst, vstride, n, acc, r)
}

//go:noescape
func dotLanesAVXAsm(rows *[laneRows]*float64, lo int, xt *float64, n int, acc *[8][laneRows * laneWidth]float64)

//go:noescape
func axpyLanesAVXAsm(rows *[laneRows]*float64, gt *float64, n int, r *[laneRows * laneWidth]float64)

// dotLanes adds columns lo…lo+n−1 (n a positive multiple of 8) of the six
// rows at rows to the lane accumulators acc of eight iterates whose x are
// interleaved in xt from column lo on (see dotLanesAVXAsm). The caller
// checks that each row holds lo+n elements.
func dotLanes(rows *[laneRows]*float64, lo int, xt []float64, n int, acc *[8][laneRows * laneWidth]float64) {
	_ = xt[laneWidth*n-1]
	dotLanesAVXAsm(rows, lo, &xt[0], n, acc)
}

// axpyLanes adds r[8·k+t] times row k to the adjoint of iterate t,
// interleaved in gt, over the first len(gt)/8 columns of the six rows at
// rows (see axpyLanesAVXAsm). The caller checks that each row holds that
// many elements.
func axpyLanes(rows *[laneRows]*float64, gt []float64, r *[laneRows * laneWidth]float64) {
	if n := len(gt) / laneWidth; n > 0 {
		axpyLanesAVXAsm(rows, &gt[0], n, r)
	}
}
