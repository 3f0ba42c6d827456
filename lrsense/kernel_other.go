//go:build !amd64

package lrsense

// Without assembly kernels, fastKernels stays goKernels and these are never
// called.

var hasAsmKernels = false

func dot4Asm(out *[4]float64, a []float64, stride int, x []float64) { dot4Go(out, a, stride, x) }

func axpy4Asm(dst, a []float64, stride int, r *[4]float64) { axpy4Go(dst, a, stride, r) }
