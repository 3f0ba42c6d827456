package main

import "golang.org/x/sys/cpu"

//go:noescape
func sumAVX2(a *float64, n int) float64

// sumFast sums a with AVX2 where the CPU has it (the kernel the operator
// pass uses), else with sum8.
func sumFast(a []float64) float64 {
	if !cpu.X86.HasAVX2 || len(a) < 16 {
		return sum8(a)
	}
	n := len(a) &^ 15
	return sumAVX2(&a[0], n) + sum8(a[n:])
}
