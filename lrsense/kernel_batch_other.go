//go:build !amd64

package lrsense

// Without assembly kernels the batched pass takes its iterates whole
// (chunkBatch) and these are never called.

func dot4Acc(acc *[32]float64, blk []float64, c, lo, hi int, x []float64) {
	panic("lrsense: no assembly kernels")
}

var hasAVX512 = false

func dot4x4(acc *[4][32]float64, a *float64, c int, xs *[4]*float64, lo, n int, pf *float64) {
	panic("lrsense: no assembly kernels")
}

func axpy4x4(dsts *[4]*float64, a *float64, c, lo, n int, r *[4][4]float64, pf *float64) {
	panic("lrsense: no assembly kernels")
}

func dotAxpy4(acc *[32]float64, next, cur []float64, stride int, x, dst []float64, n int, r *[4]float64) {
	panic("lrsense: no assembly kernels")
}

func dot4x2(acc *[2][32]float64, a *float64, c int, xs *[2]*float64, lo, n int, pf *float64) {
	panic("lrsense: no assembly kernels")
}

func axpy4x2(dsts *[2]*float64, a *float64, c, lo, n int, r *[2][4]float64, pf *float64) {
	panic("lrsense: no assembly kernels")
}

func dotAxpy8(acc *[2][32]float64, next, cur []float64, stride int, x, dst []float64, n int, r *[8]float64) {
	panic("lrsense: no assembly kernels")
}

func dotAxpy8x2(acc *[2][2][32]float64, next, cur *float64, stride int, x, dst *float64, vstride, n int, r *[2][8]float64) {
	panic("lrsense: no assembly kernels")
}

func dotAxpy4x4p(acc *[4][32]float64, next, cur *float64, stride int, x, dst *float64, vstride, n int, r *[4][4]float64) {
	panic("lrsense: no assembly kernels")
}

func dotLanes(rows *[laneRows]*float64, lo int, xt []float64, n int, acc *[8][laneRows * laneWidth]float64) {
	panic("lrsense: no assembly kernels")
}

func axpyLanes(rows *[laneRows]*float64, gt []float64, r *[laneRows * laneWidth]float64) {
	panic("lrsense: no assembly kernels")
}
