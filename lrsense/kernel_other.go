//go:build !amd64

package lrsense

// Without assembly kernels, fastKernels stays goKernels and these are never
// called.

var hasAsmKernels = false

func dot4Asm(out *[4]float64, a, x []float64) { dot4Go(out, a, x) }

func axpy4Asm(dst, a []float64, r *[4]float64) { axpy4Go(dst, a, r) }
