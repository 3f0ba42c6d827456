//go:build !amd64

package lrsense

import "gonum.org/v1/gonum/blas/blas64"

// Without assembly kernels, fastKernels stays goKernels and these are never
// called.

var hasAsmKernels = false

func dot4Asm(out *[4]float64, a []float64, stride int, x []float64) { dot4Go(out, a, stride, x) }

func axpy4Asm(dst, a []float64, stride int, r *[4]float64) { axpy4Go(dst, a, stride, r) }

func mulABt8(c, a blas64.General, bt []float64, j int) { panic("lrsense: no assembly kernels") }

func addAVXAsm(dst, src *float64, n int) { panic("lrsense: no assembly kernels") }

func mulNarrowRow(c, a blas64.General, ta bool, b blas64.General, i int, masks *[4][4]uint64) {
	panic("lrsense: no assembly kernels")
}

func mulNarrow2Row(c, a blas64.General, ta bool, b blas64.General, i int) {
	panic("lrsense: no assembly kernels")
}
