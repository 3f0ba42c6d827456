#include "textflag.h"

// func dot4AVXAsm(a, x *float64, n, stride int, out *[4]float64)
//
// out[j] = Σ_k a[j·stride+k]·x[k] for j = 0..3, k < n. Each row keeps two 4-wide FMA
// accumulators over 8 elements a step; a remaining group of 4 goes to the
// first; the lanes are then summed and the last n mod 4 elements added with
// scalar FMAs. The order depends only on n, so the result is deterministic.
TEXT ·dot4AVXAsm(SB), NOSPLIT, $0-40
	MOVQ a+0(FP), SI
	MOVQ x+8(FP), DI
	MOVQ n+16(FP), CX
	MOVQ stride+24(FP), BX
	MOVQ out+32(FP), DX
	SHLQ $3, BX
	LEAQ (SI)(BX*1), R8
	LEAQ (R8)(BX*1), R9
	LEAQ (R9)(BX*1), R10
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	XORQ AX, AX
	MOVQ CX, R11
	ANDQ $-8, R11

dloop8:
	CMPQ AX, R11
	JGE  dtail4
	VMOVUPD (DI)(AX*8), Y8
	VMOVUPD 32(DI)(AX*8), Y9
	VFMADD231PD (SI)(AX*8), Y8, Y0
	VFMADD231PD 32(SI)(AX*8), Y9, Y1
	VFMADD231PD (R8)(AX*8), Y8, Y2
	VFMADD231PD 32(R8)(AX*8), Y9, Y3
	VFMADD231PD (R9)(AX*8), Y8, Y4
	VFMADD231PD 32(R9)(AX*8), Y9, Y5
	VFMADD231PD (R10)(AX*8), Y8, Y6
	VFMADD231PD 32(R10)(AX*8), Y9, Y7
	ADDQ $8, AX
	JMP  dloop8

dtail4:
	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VADDPD Y5, Y4, Y4
	VADDPD Y7, Y6, Y6
	MOVQ   CX, R11
	SUBQ   AX, R11
	CMPQ   R11, $4
	JLT    dhsum
	VMOVUPD (DI)(AX*8), Y8
	VFMADD231PD (SI)(AX*8), Y8, Y0
	VFMADD231PD (R8)(AX*8), Y8, Y2
	VFMADD231PD (R9)(AX*8), Y8, Y4
	VFMADD231PD (R10)(AX*8), Y8, Y6
	ADDQ $4, AX

dhsum:
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VUNPCKHPD    X0, X0, X1
	VADDSD       X1, X0, X0
	VEXTRACTF128 $1, Y2, X3
	VADDPD       X3, X2, X2
	VUNPCKHPD    X2, X2, X3
	VADDSD       X3, X2, X2
	VEXTRACTF128 $1, Y4, X5
	VADDPD       X5, X4, X4
	VUNPCKHPD    X4, X4, X5
	VADDSD       X5, X4, X4
	VEXTRACTF128 $1, Y6, X7
	VADDPD       X7, X6, X6
	VUNPCKHPD    X6, X6, X7
	VADDSD       X7, X6, X6

dscalar:
	CMPQ AX, CX
	JGE  ddone
	VMOVSD (DI)(AX*8), X8
	VFMADD231SD (SI)(AX*8), X8, X0
	VFMADD231SD (R8)(AX*8), X8, X2
	VFMADD231SD (R9)(AX*8), X8, X4
	VFMADD231SD (R10)(AX*8), X8, X6
	INCQ AX
	JMP  dscalar

ddone:
	VMOVSD X0, 0(DX)
	VMOVSD X2, 8(DX)
	VMOVSD X4, 16(DX)
	VMOVSD X6, 24(DX)
	VZEROUPPER
	RET

// func axpy4AVXAsm(dst, a *float64, n, stride int, r *[4]float64)
//
// dst[k] = fma(r3, a3[k], fma(r2, a2[k], fma(r1, a1[k], fma(r0, a0[k], dst[k])))),
// for the rows aj = a + j·stride and k < n:
// every element gets the same chain of FMAs, vector or scalar.
TEXT ·axpy4AVXAsm(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ stride+24(FP), BX
	MOVQ r+32(FP), DX
	SHLQ $3, BX
	LEAQ (SI)(BX*1), R8
	LEAQ (R8)(BX*1), R9
	LEAQ (R9)(BX*1), R10
	VBROADCASTSD 0(DX), Y12
	VBROADCASTSD 8(DX), Y13
	VBROADCASTSD 16(DX), Y14
	VBROADCASTSD 24(DX), Y15
	XORQ AX, AX
	MOVQ CX, R11
	ANDQ $-8, R11

aloop8:
	CMPQ AX, R11
	JGE  atail4
	VMOVUPD (DI)(AX*8), Y0
	VMOVUPD 32(DI)(AX*8), Y1
	VFMADD231PD (SI)(AX*8), Y12, Y0
	VFMADD231PD 32(SI)(AX*8), Y12, Y1
	VFMADD231PD (R8)(AX*8), Y13, Y0
	VFMADD231PD 32(R8)(AX*8), Y13, Y1
	VFMADD231PD (R9)(AX*8), Y14, Y0
	VFMADD231PD 32(R9)(AX*8), Y14, Y1
	VFMADD231PD (R10)(AX*8), Y15, Y0
	VFMADD231PD 32(R10)(AX*8), Y15, Y1
	VMOVUPD Y0, (DI)(AX*8)
	VMOVUPD Y1, 32(DI)(AX*8)
	ADDQ $8, AX
	JMP  aloop8

atail4:
	MOVQ CX, R11
	SUBQ AX, R11
	CMPQ R11, $4
	JLT  ascalar
	VMOVUPD (DI)(AX*8), Y0
	VFMADD231PD (SI)(AX*8), Y12, Y0
	VFMADD231PD (R8)(AX*8), Y13, Y0
	VFMADD231PD (R9)(AX*8), Y14, Y0
	VFMADD231PD (R10)(AX*8), Y15, Y0
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ $4, AX

ascalar:
	CMPQ AX, CX
	JGE  adone
	VMOVSD (DI)(AX*8), X0
	VFMADD231SD (SI)(AX*8), X12, X0
	VFMADD231SD (R8)(AX*8), X13, X0
	VFMADD231SD (R9)(AX*8), X14, X0
	VFMADD231SD (R10)(AX*8), X15, X0
	VMOVSD X0, (DI)(AX*8)
	INCQ AX
	JMP  ascalar

adone:
	VZEROUPPER
	RET

// func mulABt8AVXAsm(a *float64, lda, m, k int, bt *float64, c *float64, ldc int)
//
// Columns j…j+7 of c = a·bᵀ for the m rows of a (k columns, lda apart),
// where bt holds those eight rows of b transposed (bt[8l+t] = b[j+t][l]).
// Each entry is summed as gonum's f64.DotUnitary sums a dot product
// (SSE2, no FMA): the product of column l goes into lane l mod 4 for the
// first k &^ 3 columns and into lane 0 after; the lanes are added as
// (s0+s2)+(s1+s3), and the sum is added to zero as Dgemm adds it to a
// cleared c. Eight entries are summed side by side, one per vector lane, so
// each gets exactly the operations of the scalar order.
TEXT ·mulABt8AVXAsm(SB), NOSPLIT, $0-56
	MOVQ a+0(FP), SI
	MOVQ lda+8(FP), R9
	MOVQ m+16(FP), R10
	MOVQ k+24(FP), CX
	MOVQ bt+32(FP), BX
	MOVQ c+40(FP), DI
	MOVQ ldc+48(FP), R11
	SHLQ $3, R9
	SHLQ $3, R11
	MOVQ CX, R8
	ANDQ $-4, R8

mrow:
	TESTQ R10, R10
	JLE   mdone
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	XORQ   AX, AX
	MOVQ   BX, DX

mmain:
	CMPQ AX, R8
	JGE  mtail
	VBROADCASTSD (SI)(AX*8), Y8
	VMULPD       (DX), Y8, Y9
	VMULPD       32(DX), Y8, Y10
	VADDPD       Y9, Y0, Y0
	VADDPD       Y10, Y1, Y1
	VBROADCASTSD 8(SI)(AX*8), Y8
	VMULPD       64(DX), Y8, Y9
	VMULPD       96(DX), Y8, Y10
	VADDPD       Y9, Y2, Y2
	VADDPD       Y10, Y3, Y3
	VBROADCASTSD 16(SI)(AX*8), Y8
	VMULPD       128(DX), Y8, Y9
	VMULPD       160(DX), Y8, Y10
	VADDPD       Y9, Y4, Y4
	VADDPD       Y10, Y5, Y5
	VBROADCASTSD 24(SI)(AX*8), Y8
	VMULPD       192(DX), Y8, Y9
	VMULPD       224(DX), Y8, Y10
	VADDPD       Y9, Y6, Y6
	VADDPD       Y10, Y7, Y7
	ADDQ         $4, AX
	ADDQ         $256, DX
	JMP          mmain

mtail:
	CMPQ AX, CX
	JGE  mfin
	VBROADCASTSD (SI)(AX*8), Y8
	VMULPD       (DX), Y8, Y9
	VMULPD       32(DX), Y8, Y10
	VADDPD       Y9, Y0, Y0
	VADDPD       Y10, Y1, Y1
	INCQ         AX
	ADDQ         $64, DX
	JMP          mtail

mfin:
	VADDPD  Y4, Y0, Y0
	VADDPD  Y5, Y1, Y1
	VADDPD  Y6, Y2, Y2
	VADDPD  Y7, Y3, Y3
	VADDPD  Y0, Y2, Y0
	VADDPD  Y1, Y3, Y1
	VXORPD  Y8, Y8, Y8
	VADDPD  Y0, Y8, Y0
	VADDPD  Y1, Y8, Y1
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	ADDQ    R9, SI
	ADDQ    R11, DI
	DECQ    R10
	JMP     mrow

mdone:
	VZEROUPPER
	RET

// func addAVXAsm(dst, src *float64, n int)
//
// dst[i] += src[i] for i < n (n > 0): 16 entries a step, then 4, then one.
TEXT ·addAVXAsm(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	MOVQ CX, R8
	ANDQ $-16, R8

add16:
	CMPQ    AX, R8
	JGE     add4
	VMOVUPD (DI)(AX*8), Y0
	VMOVUPD 32(DI)(AX*8), Y1
	VMOVUPD 64(DI)(AX*8), Y2
	VMOVUPD 96(DI)(AX*8), Y3
	VADDPD  (SI)(AX*8), Y0, Y0
	VADDPD  32(SI)(AX*8), Y1, Y1
	VADDPD  64(SI)(AX*8), Y2, Y2
	VADDPD  96(SI)(AX*8), Y3, Y3
	VMOVUPD Y0, (DI)(AX*8)
	VMOVUPD Y1, 32(DI)(AX*8)
	VMOVUPD Y2, 64(DI)(AX*8)
	VMOVUPD Y3, 96(DI)(AX*8)
	ADDQ    $16, AX
	JMP     add16

add4:
	MOVQ CX, R8
	ANDQ $-4, R8

add4loop:
	CMPQ    AX, R8
	JGE     add1
	VMOVUPD (DI)(AX*8), Y0
	VADDPD  (SI)(AX*8), Y0, Y0
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ    $4, AX
	JMP     add4loop

add1:
	CMPQ  AX, CX
	JGE   adddone
	VMOVSD (DI)(AX*8), X0
	VADDSD (SI)(AX*8), X0, X0
	VMOVSD X0, (DI)(AX*8)
	INCQ  AX
	JMP   add1

adddone:
	VZEROUPPER
	RET

// func mulNarrowRowAVXAsm(c, a *float64, as, k int, b *float64, ldb int, masks *[4][4]uint64)
//
// One row of c = op(a)·b for a b of at most 16 columns: c[0…15] (the lanes
// masks selects) = Σ_l a[l·as]·b[l·ldb + 0…15], for l = 0…k−1 in order,
// skipping the l where a[l·as] is zero, each product rounded before it is
// added to a sum that starts at zero: the order of gonum's Dgemm for
// NoTrans·NoTrans and Trans·NoTrans (f64.AxpyUnitary of a row of b, per
// nonzero entry of a, into the cleared row of c). k > 0.
TEXT ·mulNarrowRowAVXAsm(SB), NOSPLIT, $0-56
	MOVQ    c+0(FP), DI
	MOVQ    a+8(FP), SI
	MOVQ    as+16(FP), R8
	MOVQ    k+24(FP), CX
	MOVQ    b+32(FP), BX
	MOVQ    ldb+40(FP), R9
	MOVQ    masks+48(FP), DX
	SHLQ    $3, R8
	SHLQ    $3, R9
	VMOVDQU 0(DX), Y12
	VMOVDQU 32(DX), Y13
	VMOVDQU 64(DX), Y14
	VMOVDQU 96(DX), Y15
	VXORPD  Y0, Y0, Y0
	VXORPD  Y1, Y1, Y1
	VXORPD  Y2, Y2, Y2
	VXORPD  Y3, Y3, Y3
	VXORPD  X10, X10, X10

tloop:
	VMOVSD   (SI), X8
	VUCOMISD X10, X8
	JNE      tuse
	JPS      tuse
	JMP      tnext

tuse:
	VBROADCASTSD (SI), Y8
	VMASKMOVPD   0(BX), Y12, Y4
	VMASKMOVPD   32(BX), Y13, Y5
	VMASKMOVPD   64(BX), Y14, Y6
	VMASKMOVPD   96(BX), Y15, Y7
	VMULPD       Y8, Y4, Y4
	VMULPD       Y8, Y5, Y5
	VMULPD       Y8, Y6, Y6
	VMULPD       Y8, Y7, Y7
	VADDPD       Y0, Y4, Y0
	VADDPD       Y1, Y5, Y1
	VADDPD       Y2, Y6, Y2
	VADDPD       Y3, Y7, Y3

tnext:
	ADDQ R8, SI
	ADDQ R9, BX
	DECQ CX
	JNZ  tloop

	VMASKMOVPD Y0, Y12, 0(DI)
	VMASKMOVPD Y1, Y13, 32(DI)
	VMASKMOVPD Y2, Y14, 64(DI)
	VMASKMOVPD Y3, Y15, 96(DI)
	VZEROUPPER
	RET

// func mulNarrow2RowAVXAsm(c *float64, ldc int, a *float64, ars, as, k int, b *float64, ldb int)
//
// Two rows of c = op(a)·b for a b of exactly 16 columns, each as
// mulNarrowRowAVXAsm sums it: c[t·ldc + 0…15] = Σ_l a[t·ars + l·as]·b[l·ldb
// + 0…15] for t = 0, 1 and l = 0…k−1 in order, skipping the l where that
// row's a is zero, each product rounded before it is added to a sum that
// starts at zero. The two rows share the loads of b and keep eight
// independent sums. k > 0.
TEXT ·mulNarrow2RowAVXAsm(SB), NOSPLIT, $0-64
	MOVQ   c+0(FP), DI
	MOVQ   ldc+8(FP), R10
	MOVQ   a+16(FP), SI
	MOVQ   ars+24(FP), R11
	MOVQ   as+32(FP), R8
	MOVQ   k+40(FP), CX
	MOVQ   b+48(FP), BX
	MOVQ   ldb+56(FP), R9
	SHLQ   $3, R10
	SHLQ   $3, R11
	SHLQ   $3, R8
	SHLQ   $3, R9
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD X10, X10, X10

m2loop:
	VMOVSD   (SI), X8
	VMOVSD   (SI)(R11*1), X9
	VUCOMISD X10, X8
	JNE      m2use0
	JPS      m2use0
	JMP      m2only1

m2use0:
	VUCOMISD X10, X9
	JNE      m2both
	JPS      m2both

	// Row 0 only.
	VBROADCASTSD X8, Y8
	VMULPD       0(BX), Y8, Y12
	VMULPD       32(BX), Y8, Y13
	VMULPD       64(BX), Y8, Y14
	VMULPD       96(BX), Y8, Y15
	VADDPD       Y0, Y12, Y0
	VADDPD       Y1, Y13, Y1
	VADDPD       Y2, Y14, Y2
	VADDPD       Y3, Y15, Y3
	JMP          m2next

m2only1:
	VUCOMISD X10, X9
	JNE      m2use1
	JPS      m2use1
	JMP      m2next

m2use1:
	VBROADCASTSD X9, Y9
	VMULPD       0(BX), Y9, Y12
	VMULPD       32(BX), Y9, Y13
	VMULPD       64(BX), Y9, Y14
	VMULPD       96(BX), Y9, Y15
	VADDPD       Y4, Y12, Y4
	VADDPD       Y5, Y13, Y5
	VADDPD       Y6, Y14, Y6
	VADDPD       Y7, Y15, Y7
	JMP          m2next

m2both:
	VBROADCASTSD X8, Y8
	VBROADCASTSD X9, Y9
	VMOVUPD      0(BX), Y12
	VMOVUPD      32(BX), Y13
	VMOVUPD      64(BX), Y14
	VMOVUPD      96(BX), Y15
	VMULPD       Y8, Y12, Y11
	VADDPD       Y0, Y11, Y0
	VMULPD       Y8, Y13, Y11
	VADDPD       Y1, Y11, Y1
	VMULPD       Y8, Y14, Y11
	VADDPD       Y2, Y11, Y2
	VMULPD       Y8, Y15, Y11
	VADDPD       Y3, Y11, Y3
	VMULPD       Y9, Y12, Y11
	VADDPD       Y4, Y11, Y4
	VMULPD       Y9, Y13, Y11
	VADDPD       Y5, Y11, Y5
	VMULPD       Y9, Y14, Y11
	VADDPD       Y6, Y11, Y6
	VMULPD       Y9, Y15, Y11
	VADDPD       Y7, Y11, Y7

m2next:
	ADDQ R8, SI
	ADDQ R9, BX
	DECQ CX
	JNZ  m2loop

	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ    R10, DI
	VMOVUPD Y4, 0(DI)
	VMOVUPD Y5, 32(DI)
	VMOVUPD Y6, 64(DI)
	VMOVUPD Y7, 96(DI)
	VZEROUPPER
	RET
