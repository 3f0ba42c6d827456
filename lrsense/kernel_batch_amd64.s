#include "textflag.h"

// func dot4AccAVXAsm(a *float64, stride int, x *float64, n int, acc *[32]float64)
//
// Continues the main loop of dot4AVXAsm over n more elements (n a multiple
// of 8) of four rows a, a+stride, a+2·stride, a+3·stride against x, with
// its eight accumulators Y0…Y7 loaded from and stored back to acc: so a row
// can be taken in column tiles and still get the FMAs of one dot4AVXAsm
// call, in the same order.
TEXT ·dot4AccAVXAsm(SB), NOSPLIT, $0-40
	MOVQ a+0(FP), SI
	MOVQ stride+8(FP), BX
	MOVQ x+16(FP), DI
	MOVQ n+24(FP), CX
	MOVQ acc+32(FP), DX
	SHLQ $3, BX
	LEAQ (SI)(BX*1), R8
	LEAQ (R8)(BX*1), R9
	LEAQ (R9)(BX*1), R10
	VMOVUPD 0(DX), Y0
	VMOVUPD 32(DX), Y1
	VMOVUPD 64(DX), Y2
	VMOVUPD 96(DX), Y3
	VMOVUPD 128(DX), Y4
	VMOVUPD 160(DX), Y5
	VMOVUPD 192(DX), Y6
	VMOVUPD 224(DX), Y7
	XORQ AX, AX

accloop:
	CMPQ AX, CX
	JGE  accdone
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
	JMP  accloop

accdone:
	VMOVUPD Y0, 0(DX)
	VMOVUPD Y1, 32(DX)
	VMOVUPD Y2, 64(DX)
	VMOVUPD Y3, 96(DX)
	VMOVUPD Y4, 128(DX)
	VMOVUPD Y5, 160(DX)
	VMOVUPD Y6, 192(DX)
	VMOVUPD Y7, 224(DX)
	VZEROUPPER
	RET

// func dot4x4AVX512Asm(a *float64, stride int, xs *[4]*float64, lo, n int, acc *[4][32]float64, pf *float64)
//
// dot4AccAVXAsm for four iterates at once, on the iterates' elements
// lo…lo+n−1 (a is already at column lo), with 8-wide vectors: lane l of
// the accumulator of row r and iterate i holds what lane l of Y(2r)
// (l < 4) or lane l−4 of Y(2r+1) holds in dot4AVXAsm, and gets the same
// FMAs in the same order, so acc has the layout of dot4AccAVXAsm's. Each
// 8-column step loads the four rows once for the four iterates. n is a
// multiple of 8. Each step also asks for the cache line at pf (advancing
// 64 bytes a step) to be brought into the L2 cache (PREFETCHT1): the
// caller points pf at rows it will read next, so that they arrive while
// these are computed. A prefetch changes no result.
TEXT ·dot4x4AVX512Asm(SB), NOSPLIT, $0-56
	MOVQ a+0(FP), SI
	MOVQ stride+8(FP), BX
	MOVQ xs+16(FP), DI
	MOVQ lo+24(FP), AX
	MOVQ n+32(FP), CX
	MOVQ acc+40(FP), DX
	SHLQ $3, BX
	LEAQ (SI)(BX*1), R8
	LEAQ (R8)(BX*1), R9
	LEAQ (R9)(BX*1), R10
	MOVQ 0(DI), R11
	MOVQ 8(DI), R12
	MOVQ 16(DI), R13
	MOVQ 24(DI), R14
	LEAQ (R11)(AX*8), R11
	LEAQ (R12)(AX*8), R12
	LEAQ (R13)(AX*8), R13
	LEAQ (R14)(AX*8), R14
	MOVQ pf+48(FP), DI
	VMOVUPD 0(DX), Z0
	VMOVUPD 64(DX), Z1
	VMOVUPD 128(DX), Z2
	VMOVUPD 192(DX), Z3
	VMOVUPD 256(DX), Z4
	VMOVUPD 320(DX), Z5
	VMOVUPD 384(DX), Z6
	VMOVUPD 448(DX), Z7
	VMOVUPD 512(DX), Z8
	VMOVUPD 576(DX), Z9
	VMOVUPD 640(DX), Z10
	VMOVUPD 704(DX), Z11
	VMOVUPD 768(DX), Z12
	VMOVUPD 832(DX), Z13
	VMOVUPD 896(DX), Z14
	VMOVUPD 960(DX), Z15
	XORQ AX, AX

d44loop:
	CMPQ AX, CX
	JGE  d44done
	PREFETCHT1 (DI)(AX*8)
	VMOVUPD (SI)(AX*8), Z16
	VMOVUPD (R8)(AX*8), Z17
	VMOVUPD (R9)(AX*8), Z18
	VMOVUPD (R10)(AX*8), Z19
	VMOVUPD (R11)(AX*8), Z20
	VMOVUPD (R12)(AX*8), Z21
	VMOVUPD (R13)(AX*8), Z22
	VMOVUPD (R14)(AX*8), Z23
	VFMADD231PD Z16, Z20, Z0
	VFMADD231PD Z17, Z20, Z1
	VFMADD231PD Z18, Z20, Z2
	VFMADD231PD Z19, Z20, Z3
	VFMADD231PD Z16, Z21, Z4
	VFMADD231PD Z17, Z21, Z5
	VFMADD231PD Z18, Z21, Z6
	VFMADD231PD Z19, Z21, Z7
	VFMADD231PD Z16, Z22, Z8
	VFMADD231PD Z17, Z22, Z9
	VFMADD231PD Z18, Z22, Z10
	VFMADD231PD Z19, Z22, Z11
	VFMADD231PD Z16, Z23, Z12
	VFMADD231PD Z17, Z23, Z13
	VFMADD231PD Z18, Z23, Z14
	VFMADD231PD Z19, Z23, Z15
	ADDQ $8, AX
	JMP  d44loop

d44done:
	VMOVUPD Z0, 0(DX)
	VMOVUPD Z1, 64(DX)
	VMOVUPD Z2, 128(DX)
	VMOVUPD Z3, 192(DX)
	VMOVUPD Z4, 256(DX)
	VMOVUPD Z5, 320(DX)
	VMOVUPD Z6, 384(DX)
	VMOVUPD Z7, 448(DX)
	VMOVUPD Z8, 512(DX)
	VMOVUPD Z9, 576(DX)
	VMOVUPD Z10, 640(DX)
	VMOVUPD Z11, 704(DX)
	VMOVUPD Z12, 768(DX)
	VMOVUPD Z13, 832(DX)
	VMOVUPD Z14, 896(DX)
	VMOVUPD Z15, 960(DX)
	VZEROUPPER
	RET

// func axpy4x4AVX512Asm(dsts *[4]*float64, lo int, a *float64, n, stride int, r *[4][4]float64, pf *float64)
//
// axpy4AVXAsm for four iterates at once, on the elements lo…lo+n−1
// of the dsts (a is already at column lo), with 8-wide vectors: every
// element of dst i gets fma(r[i][3], a3, fma(r[i][2], a2, fma(r[i][1], a1,
// fma(r[i][0], a0, dst)))), the chain of axpy4AVXAsm. n is a multiple of 8.
// pf is as in dot4x4AVX512Asm.
TEXT ·axpy4x4AVX512Asm(SB), NOSPLIT, $0-56
	MOVQ dsts+0(FP), DI
	MOVQ lo+8(FP), AX
	MOVQ a+16(FP), SI
	MOVQ n+24(FP), CX
	MOVQ stride+32(FP), BX
	MOVQ r+40(FP), DX
	SHLQ $3, BX
	LEAQ (SI)(BX*1), R8
	LEAQ (R8)(BX*1), R9
	LEAQ (R9)(BX*1), R10
	MOVQ 0(DI), R11
	MOVQ 8(DI), R12
	MOVQ 16(DI), R13
	MOVQ 24(DI), R14
	LEAQ (R11)(AX*8), R11
	LEAQ (R12)(AX*8), R12
	LEAQ (R13)(AX*8), R13
	LEAQ (R14)(AX*8), R14
	MOVQ pf+48(FP), DI
	VBROADCASTSD 0(DX), Z16
	VBROADCASTSD 8(DX), Z17
	VBROADCASTSD 16(DX), Z18
	VBROADCASTSD 24(DX), Z19
	VBROADCASTSD 32(DX), Z20
	VBROADCASTSD 40(DX), Z21
	VBROADCASTSD 48(DX), Z22
	VBROADCASTSD 56(DX), Z23
	VBROADCASTSD 64(DX), Z24
	VBROADCASTSD 72(DX), Z25
	VBROADCASTSD 80(DX), Z26
	VBROADCASTSD 88(DX), Z27
	VBROADCASTSD 96(DX), Z28
	VBROADCASTSD 104(DX), Z29
	VBROADCASTSD 112(DX), Z30
	VBROADCASTSD 120(DX), Z31
	XORQ AX, AX

a44loop:
	CMPQ AX, CX
	JGE  a44done
	PREFETCHT1 (DI)(AX*8)
	VMOVUPD (SI)(AX*8), Z8
	VMOVUPD (R8)(AX*8), Z9
	VMOVUPD (R9)(AX*8), Z10
	VMOVUPD (R10)(AX*8), Z11
	VMOVUPD (R11)(AX*8), Z0
	VMOVUPD (R12)(AX*8), Z1
	VMOVUPD (R13)(AX*8), Z2
	VMOVUPD (R14)(AX*8), Z3
	VFMADD231PD Z8, Z16, Z0
	VFMADD231PD Z8, Z20, Z1
	VFMADD231PD Z8, Z24, Z2
	VFMADD231PD Z8, Z28, Z3
	VFMADD231PD Z9, Z17, Z0
	VFMADD231PD Z9, Z21, Z1
	VFMADD231PD Z9, Z25, Z2
	VFMADD231PD Z9, Z29, Z3
	VFMADD231PD Z10, Z18, Z0
	VFMADD231PD Z10, Z22, Z1
	VFMADD231PD Z10, Z26, Z2
	VFMADD231PD Z10, Z30, Z3
	VFMADD231PD Z11, Z19, Z0
	VFMADD231PD Z11, Z23, Z1
	VFMADD231PD Z11, Z27, Z2
	VFMADD231PD Z11, Z31, Z3
	VMOVUPD Z0, (R11)(AX*8)
	VMOVUPD Z1, (R12)(AX*8)
	VMOVUPD Z2, (R13)(AX*8)
	VMOVUPD Z3, (R14)(AX*8)
	ADDQ $8, AX
	JMP  a44loop

a44done:
	VZEROUPPER
	RET


// func dotAxpy4AVXAsm(an, ac *float64, stride int, x, dst *float64, n int, acc *[32]float64, r *[4]float64)
//
// One loop over n elements (n a multiple of 8) doing two things: it
// continues dot4AccAVXAsm for the block of four rows at an (stride
// apart) against x, with the accumulators in acc, and it is
// axpy4AVXAsm of the block at ac with multipliers r into dst. The
// single fused pass (kernel_pass.go) takes the dot products of a block
// while it adds the previous block into g, so that it reads memory
// (the next block) all the while it works on the block already in cache.
// Each gets the FMAs of its own kernel, in the same order.
TEXT ·dotAxpy4AVXAsm(SB), NOSPLIT, $0-64
	MOVQ an+0(FP), SI
	MOVQ ac+8(FP), R11
	MOVQ stride+16(FP), BX
	MOVQ x+24(FP), DI
	MOVQ dst+32(FP), DX
	MOVQ n+40(FP), CX
	SHLQ $3, BX
	LEAQ (SI)(BX*1), R8
	LEAQ (R8)(BX*1), R9
	LEAQ (R9)(BX*1), R10
	LEAQ (R11)(BX*1), R12
	LEAQ (R12)(BX*1), R13
	LEAQ (R13)(BX*1), R14
	MOVQ r+56(FP), AX
	VBROADCASTSD 0(AX), Y12
	VBROADCASTSD 8(AX), Y13
	VBROADCASTSD 16(AX), Y14
	VBROADCASTSD 24(AX), Y15
	MOVQ acc+48(FP), AX
	VMOVUPD 0(AX), Y0
	VMOVUPD 32(AX), Y1
	VMOVUPD 64(AX), Y2
	VMOVUPD 96(AX), Y3
	VMOVUPD 128(AX), Y4
	VMOVUPD 160(AX), Y5
	VMOVUPD 192(AX), Y6
	VMOVUPD 224(AX), Y7
	XORQ AX, AX

daloop:
	CMPQ AX, CX
	JGE  dadone
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
	VMOVUPD (DX)(AX*8), Y10
	VMOVUPD 32(DX)(AX*8), Y11
	VFMADD231PD (R11)(AX*8), Y12, Y10
	VFMADD231PD 32(R11)(AX*8), Y12, Y11
	VFMADD231PD (R12)(AX*8), Y13, Y10
	VFMADD231PD 32(R12)(AX*8), Y13, Y11
	VFMADD231PD (R13)(AX*8), Y14, Y10
	VFMADD231PD 32(R13)(AX*8), Y14, Y11
	VFMADD231PD (R14)(AX*8), Y15, Y10
	VFMADD231PD 32(R14)(AX*8), Y15, Y11
	VMOVUPD Y10, (DX)(AX*8)
	VMOVUPD Y11, 32(DX)(AX*8)
	ADDQ $8, AX
	JMP  daloop

dadone:
	MOVQ acc+48(FP), AX
	VMOVUPD Y0, 0(AX)
	VMOVUPD Y1, 32(AX)
	VMOVUPD Y2, 64(AX)
	VMOVUPD Y3, 96(AX)
	VMOVUPD Y4, 128(AX)
	VMOVUPD Y5, 160(AX)
	VMOVUPD Y6, 192(AX)
	VMOVUPD Y7, 224(AX)
	VZEROUPPER
	RET

// func dot4x2AVX512Asm(a *float64, stride int, xs *[2]*float64, lo, n int, acc *[2][32]float64, pf *float64)
//
// dot4x4AVX512Asm for two iterates.
TEXT ·dot4x2AVX512Asm(SB), NOSPLIT, $0-56
	MOVQ    a+0(FP), SI
	MOVQ    stride+8(FP), BX
	MOVQ    xs+16(FP), DI
	MOVQ    lo+24(FP), AX
	MOVQ    n+32(FP), CX
	MOVQ    acc+40(FP), DX
	SHLQ    $3, BX
	LEAQ    (SI)(BX*1), R8
	LEAQ    (R8)(BX*1), R9
	LEAQ    (R9)(BX*1), R10
	MOVQ    0(DI), R11
	MOVQ    8(DI), R12
	LEAQ    (R11)(AX*8), R11
	LEAQ    (R12)(AX*8), R12
	MOVQ    pf+48(FP), DI
	VMOVUPD 0(DX), Z0
	VMOVUPD 64(DX), Z1
	VMOVUPD 128(DX), Z2
	VMOVUPD 192(DX), Z3
	VMOVUPD 256(DX), Z4
	VMOVUPD 320(DX), Z5
	VMOVUPD 384(DX), Z6
	VMOVUPD 448(DX), Z7
	XORQ    AX, AX

d42loop:
	CMPQ        AX, CX
	JGE         d42done
	PREFETCHT1  (DI)(AX*8)
	VMOVUPD     (SI)(AX*8), Z16
	VMOVUPD     (R8)(AX*8), Z17
	VMOVUPD     (R9)(AX*8), Z18
	VMOVUPD     (R10)(AX*8), Z19
	VMOVUPD     (R11)(AX*8), Z20
	VMOVUPD     (R12)(AX*8), Z21
	VFMADD231PD Z16, Z20, Z0
	VFMADD231PD Z17, Z20, Z1
	VFMADD231PD Z18, Z20, Z2
	VFMADD231PD Z19, Z20, Z3
	VFMADD231PD Z16, Z21, Z4
	VFMADD231PD Z17, Z21, Z5
	VFMADD231PD Z18, Z21, Z6
	VFMADD231PD Z19, Z21, Z7
	ADDQ        $8, AX
	JMP         d42loop

d42done:
	VMOVUPD Z0, 0(DX)
	VMOVUPD Z1, 64(DX)
	VMOVUPD Z2, 128(DX)
	VMOVUPD Z3, 192(DX)
	VMOVUPD Z4, 256(DX)
	VMOVUPD Z5, 320(DX)
	VMOVUPD Z6, 384(DX)
	VMOVUPD Z7, 448(DX)
	VZEROUPPER
	RET

// func axpy4x2AVX512Asm(dsts *[2]*float64, lo int, a *float64, n, stride int, r *[2][4]float64, pf *float64)
//
// axpy4x4AVX512Asm for two iterates.
TEXT ·axpy4x2AVX512Asm(SB), NOSPLIT, $0-56
	MOVQ         dsts+0(FP), DI
	MOVQ         lo+8(FP), AX
	MOVQ         a+16(FP), SI
	MOVQ         n+24(FP), CX
	MOVQ         stride+32(FP), BX
	MOVQ         r+40(FP), DX
	SHLQ         $3, BX
	LEAQ         (SI)(BX*1), R8
	LEAQ         (R8)(BX*1), R9
	LEAQ         (R9)(BX*1), R10
	MOVQ         0(DI), R11
	MOVQ         8(DI), R12
	LEAQ         (R11)(AX*8), R11
	LEAQ         (R12)(AX*8), R12
	MOVQ         pf+48(FP), DI
	VBROADCASTSD 0(DX), Z16
	VBROADCASTSD 8(DX), Z17
	VBROADCASTSD 16(DX), Z18
	VBROADCASTSD 24(DX), Z19
	VBROADCASTSD 32(DX), Z20
	VBROADCASTSD 40(DX), Z21
	VBROADCASTSD 48(DX), Z22
	VBROADCASTSD 56(DX), Z23
	XORQ         AX, AX

a42loop:
	CMPQ        AX, CX
	JGE         a42done
	PREFETCHT1  (DI)(AX*8)
	VMOVUPD     (SI)(AX*8), Z8
	VMOVUPD     (R8)(AX*8), Z9
	VMOVUPD     (R9)(AX*8), Z10
	VMOVUPD     (R10)(AX*8), Z11
	VMOVUPD     (R11)(AX*8), Z0
	VMOVUPD     (R12)(AX*8), Z1
	VFMADD231PD Z8, Z16, Z0
	VFMADD231PD Z8, Z20, Z1
	VFMADD231PD Z9, Z17, Z0
	VFMADD231PD Z9, Z21, Z1
	VFMADD231PD Z10, Z18, Z0
	VFMADD231PD Z10, Z22, Z1
	VFMADD231PD Z11, Z19, Z0
	VFMADD231PD Z11, Z23, Z1
	VMOVUPD     Z0, (R11)(AX*8)
	VMOVUPD     Z1, (R12)(AX*8)
	ADDQ        $8, AX
	JMP         a42loop

a42done:
	VZEROUPPER
	RET

// func dotAxpy8AVX512Asm(an, ac *float64, stride int, x, dst *float64, n int, acc *[2][32]float64, r *[8]float64)
//
// dotAxpy4AVXAsm for blocks of eight rows, with 8-wide vectors: one loop
// over n elements (n a positive multiple of 8) continues the dot products
// of the eight rows at an (stride apart) with x, lane l of row k's
// accumulator in acc[k/4][8·(k%4)+l] (the layout of dot4AccAVXAsm's, for
// rows 0–3 and 4–7), and adds the eight rows at ac, times r[0…7], into
// dst in row order: every element of dst gets the FMAs of two axpy4AVXAsm
// calls (rows 0–3, then 4–7), and every accumulator those of
// dot4AccAVXAsm, in the same order. Each 8-column step reads x and dst
// once for eight rows instead of four.
TEXT ·dotAxpy8AVX512Asm(SB), NOSPLIT, $0-64
	MOVQ an+0(FP), SI
	MOVQ ac+8(FP), R10
	MOVQ stride+16(FP), BX
	MOVQ x+24(FP), DI
	MOVQ dst+32(FP), DX
	MOVQ n+40(FP), CX
	SHLQ $3, BX
	LEAQ (SI)(BX*2), R8
	ADDQ BX, R8
	LEAQ (R8)(BX*2), R9
	ADDQ BX, R9
	LEAQ (R10)(BX*2), R11
	ADDQ BX, R11
	LEAQ (R11)(BX*2), R12
	ADDQ BX, R12
	MOVQ r+56(FP), AX
	VBROADCASTSD 0(AX), Z8
	VBROADCASTSD 8(AX), Z9
	VBROADCASTSD 16(AX), Z10
	VBROADCASTSD 24(AX), Z11
	VBROADCASTSD 32(AX), Z12
	VBROADCASTSD 40(AX), Z13
	VBROADCASTSD 48(AX), Z14
	VBROADCASTSD 56(AX), Z15
	MOVQ acc+48(FP), AX
	VMOVUPD 0(AX), Z0
	VMOVUPD 64(AX), Z1
	VMOVUPD 128(AX), Z2
	VMOVUPD 192(AX), Z3
	VMOVUPD 256(AX), Z4
	VMOVUPD 320(AX), Z5
	VMOVUPD 384(AX), Z6
	VMOVUPD 448(AX), Z7
	SHRQ $3, CX

d8loop:
	VMOVUPD     (DI), Z16
	VFMADD231PD (SI), Z16, Z0
	VFMADD231PD (SI)(BX*1), Z16, Z1
	VFMADD231PD (SI)(BX*2), Z16, Z2
	VFMADD231PD (R8), Z16, Z3
	VFMADD231PD (SI)(BX*4), Z16, Z4
	VFMADD231PD (R8)(BX*2), Z16, Z5
	VFMADD231PD (R9), Z16, Z6
	VFMADD231PD (R8)(BX*4), Z16, Z7
	VMOVUPD     (DX), Z17
	VFMADD231PD (R10), Z8, Z17
	VFMADD231PD (R10)(BX*1), Z9, Z17
	VFMADD231PD (R10)(BX*2), Z10, Z17
	VFMADD231PD (R11), Z11, Z17
	VFMADD231PD (R10)(BX*4), Z12, Z17
	VFMADD231PD (R11)(BX*2), Z13, Z17
	VFMADD231PD (R12), Z14, Z17
	VFMADD231PD (R11)(BX*4), Z15, Z17
	VMOVUPD     Z17, (DX)
	ADDQ        $64, SI
	ADDQ        $64, R8
	ADDQ        $64, R9
	ADDQ        $64, R10
	ADDQ        $64, R11
	ADDQ        $64, R12
	ADDQ        $64, DI
	ADDQ        $64, DX
	DECQ        CX
	JNZ         d8loop

	MOVQ acc+48(FP), AX
	VMOVUPD Z0, 0(AX)
	VMOVUPD Z1, 64(AX)
	VMOVUPD Z2, 128(AX)
	VMOVUPD Z3, 192(AX)
	VMOVUPD Z4, 256(AX)
	VMOVUPD Z5, 320(AX)
	VMOVUPD Z6, 384(AX)
	VMOVUPD Z7, 448(AX)
	VZEROUPPER
	RET

// func dotAxpy8x2AVX512Asm(an, ac *float64, stride int, x, dst *float64, vstride, n int, acc *[2][2][32]float64, r *[2][8]float64)
//
// dotAxpy8AVX512Asm for two iterates: their x at x and x+vstride, their
// destinations at dst and dst+vstride (vstride in elements), the
// accumulators of iterate b's rows 0–3 and 4–7 in acc[b][0] and acc[b][1],
// and its multipliers in r[b]. Each row of the two blocks is loaded once
// for both iterates; every accumulator and every element of the two
// destinations gets the FMAs of the single pass, in the same order.
TEXT ·dotAxpy8x2AVX512Asm(SB), NOSPLIT, $0-72
	MOVQ an+0(FP), SI
	MOVQ ac+8(FP), R10
	MOVQ stride+16(FP), BX
	MOVQ x+24(FP), DI
	MOVQ dst+32(FP), DX
	MOVQ vstride+40(FP), R13
	MOVQ n+48(FP), CX
	SHLQ $3, BX
	SHLQ $3, R13
	LEAQ (SI)(BX*2), R8
	ADDQ BX, R8
	LEAQ (R8)(BX*2), R9
	ADDQ BX, R9
	LEAQ (R10)(BX*2), R11
	ADDQ BX, R11
	LEAQ (R11)(BX*2), R12
	ADDQ BX, R12
	MOVQ r+64(FP), AX
	VBROADCASTSD 0(AX), Z22
	VBROADCASTSD 8(AX), Z23
	VBROADCASTSD 16(AX), Z24
	VBROADCASTSD 24(AX), Z25
	VBROADCASTSD 32(AX), Z26
	VBROADCASTSD 40(AX), Z27
	VBROADCASTSD 48(AX), Z28
	VBROADCASTSD 56(AX), Z29
	MOVQ acc+56(FP), AX
	VMOVUPD 0(AX), Z0
	VMOVUPD 64(AX), Z1
	VMOVUPD 128(AX), Z2
	VMOVUPD 192(AX), Z3
	VMOVUPD 256(AX), Z4
	VMOVUPD 320(AX), Z5
	VMOVUPD 384(AX), Z6
	VMOVUPD 448(AX), Z7
	VMOVUPD 512(AX), Z8
	VMOVUPD 576(AX), Z9
	VMOVUPD 640(AX), Z10
	VMOVUPD 704(AX), Z11
	VMOVUPD 768(AX), Z12
	VMOVUPD 832(AX), Z13
	VMOVUPD 896(AX), Z14
	VMOVUPD 960(AX), Z15
	MOVQ r+64(FP), AX
	ADDQ $64, AX
	SHRQ $3, CX

d82loop:
	VMOVUPD     (DI), Z16
	VMOVUPD     (DI)(R13*1), Z17
	VMOVUPD     (SI), Z18
	VFMADD231PD Z18, Z16, Z0
	VFMADD231PD Z18, Z17, Z8
	VMOVUPD     (SI)(BX*1), Z18
	VFMADD231PD Z18, Z16, Z1
	VFMADD231PD Z18, Z17, Z9
	VMOVUPD     (SI)(BX*2), Z18
	VFMADD231PD Z18, Z16, Z2
	VFMADD231PD Z18, Z17, Z10
	VMOVUPD     (R8), Z18
	VFMADD231PD Z18, Z16, Z3
	VFMADD231PD Z18, Z17, Z11
	VMOVUPD     (SI)(BX*4), Z18
	VFMADD231PD Z18, Z16, Z4
	VFMADD231PD Z18, Z17, Z12
	VMOVUPD     (R8)(BX*2), Z18
	VFMADD231PD Z18, Z16, Z5
	VFMADD231PD Z18, Z17, Z13
	VMOVUPD     (R9), Z18
	VFMADD231PD Z18, Z16, Z6
	VFMADD231PD Z18, Z17, Z14
	VMOVUPD     (R8)(BX*4), Z18
	VFMADD231PD Z18, Z16, Z7
	VFMADD231PD Z18, Z17, Z15
	VMOVUPD     (DX), Z19
	VMOVUPD     (DX)(R13*1), Z20
	VMOVUPD     (R10), Z21
	VFMADD231PD Z21, Z22, Z19
	VFMADD231PD.BCST 0(AX), Z21, Z20
	VMOVUPD     (R10)(BX*1), Z21
	VFMADD231PD Z21, Z23, Z19
	VFMADD231PD.BCST 8(AX), Z21, Z20
	VMOVUPD     (R10)(BX*2), Z21
	VFMADD231PD Z21, Z24, Z19
	VFMADD231PD.BCST 16(AX), Z21, Z20
	VMOVUPD     (R11), Z21
	VFMADD231PD Z21, Z25, Z19
	VFMADD231PD.BCST 24(AX), Z21, Z20
	VMOVUPD     (R10)(BX*4), Z21
	VFMADD231PD Z21, Z26, Z19
	VFMADD231PD.BCST 32(AX), Z21, Z20
	VMOVUPD     (R11)(BX*2), Z21
	VFMADD231PD Z21, Z27, Z19
	VFMADD231PD.BCST 40(AX), Z21, Z20
	VMOVUPD     (R12), Z21
	VFMADD231PD Z21, Z28, Z19
	VFMADD231PD.BCST 48(AX), Z21, Z20
	VMOVUPD     (R11)(BX*4), Z21
	VFMADD231PD Z21, Z29, Z19
	VFMADD231PD.BCST 56(AX), Z21, Z20
	VMOVUPD     Z19, (DX)
	VMOVUPD     Z20, (DX)(R13*1)
	ADDQ        $64, SI
	ADDQ        $64, R8
	ADDQ        $64, R9
	ADDQ        $64, R10
	ADDQ        $64, R11
	ADDQ        $64, R12
	ADDQ        $64, DI
	ADDQ        $64, DX
	DECQ        CX
	JNZ         d82loop

	MOVQ acc+56(FP), AX
	VMOVUPD Z0, 0(AX)
	VMOVUPD Z1, 64(AX)
	VMOVUPD Z2, 128(AX)
	VMOVUPD Z3, 192(AX)
	VMOVUPD Z4, 256(AX)
	VMOVUPD Z5, 320(AX)
	VMOVUPD Z6, 384(AX)
	VMOVUPD Z7, 448(AX)
	VMOVUPD Z8, 512(AX)
	VMOVUPD Z9, 576(AX)
	VMOVUPD Z10, 640(AX)
	VMOVUPD Z11, 704(AX)
	VMOVUPD Z12, 768(AX)
	VMOVUPD Z13, 832(AX)
	VMOVUPD Z14, 896(AX)
	VMOVUPD Z15, 960(AX)
	VZEROUPPER
	RET

// func dotAxpy4x4pAVX512Asm(an, ac *float64, stride int, x, dst *float64, vstride, n int, acc *[4][32]float64, r *[4][4]float64)
//
// dotAxpy4AVXAsm for four iterates, with 8-wide vectors: one loop over n
// elements (a positive multiple of 8) continues the dot products of the
// four rows at an (stride apart) with the iterates' x (at x + b·vstride,
// accumulators of iterate b in acc[b], laid out as dot4AccAVXAsm's), and
// adds the four rows at ac times r[b] into iterate b's destination (at dst
// + b·vstride) in row order. Each row of the two blocks is loaded once for
// the four iterates; every accumulator and every element of the
// destinations gets the FMAs of the single pass, in the same order.
TEXT ·dotAxpy4x4pAVX512Asm(SB), NOSPLIT, $0-72
	MOVQ an+0(FP), SI
	MOVQ ac+8(FP), R10
	MOVQ stride+16(FP), BX
	MOVQ x+24(FP), DI
	MOVQ dst+32(FP), DX
	MOVQ vstride+40(FP), R13
	MOVQ n+48(FP), CX
	SHLQ $3, BX
	SHLQ $3, R13
	LEAQ (SI)(BX*2), R8
	ADDQ BX, R8
	LEAQ (R10)(BX*2), R11
	ADDQ BX, R11
	LEAQ (DI)(R13*2), R12
	ADDQ R13, R12
	LEAQ (DX)(R13*2), R14
	ADDQ R13, R14
	MOVQ acc+56(FP), AX
	VMOVUPD 0(AX), Z0
	VMOVUPD 64(AX), Z1
	VMOVUPD 128(AX), Z2
	VMOVUPD 192(AX), Z3
	VMOVUPD 256(AX), Z4
	VMOVUPD 320(AX), Z5
	VMOVUPD 384(AX), Z6
	VMOVUPD 448(AX), Z7
	VMOVUPD 512(AX), Z8
	VMOVUPD 576(AX), Z9
	VMOVUPD 640(AX), Z10
	VMOVUPD 704(AX), Z11
	VMOVUPD 768(AX), Z12
	VMOVUPD 832(AX), Z13
	VMOVUPD 896(AX), Z14
	VMOVUPD 960(AX), Z15
	MOVQ r+64(FP), AX
	SHRQ $3, CX

d44ploop:
	VMOVUPD     (SI), Z16
	VMOVUPD     (SI)(BX*1), Z17
	VMOVUPD     (SI)(BX*2), Z18
	VMOVUPD     (R8), Z19
	VMOVUPD     (DI), Z20
	VFMADD231PD Z16, Z20, Z0
	VFMADD231PD Z17, Z20, Z1
	VFMADD231PD Z18, Z20, Z2
	VFMADD231PD Z19, Z20, Z3
	VMOVUPD     (DI)(R13*1), Z20
	VFMADD231PD Z16, Z20, Z4
	VFMADD231PD Z17, Z20, Z5
	VFMADD231PD Z18, Z20, Z6
	VFMADD231PD Z19, Z20, Z7
	VMOVUPD     (DI)(R13*2), Z20
	VFMADD231PD Z16, Z20, Z8
	VFMADD231PD Z17, Z20, Z9
	VFMADD231PD Z18, Z20, Z10
	VFMADD231PD Z19, Z20, Z11
	VMOVUPD     (R12), Z20
	VFMADD231PD Z16, Z20, Z12
	VFMADD231PD Z17, Z20, Z13
	VFMADD231PD Z18, Z20, Z14
	VFMADD231PD Z19, Z20, Z15
	VMOVUPD     (R10), Z21
	VMOVUPD     (R10)(BX*1), Z22
	VMOVUPD     (R10)(BX*2), Z23
	VMOVUPD     (R11), Z24
	VMOVUPD     (DX), Z25
	VFMADD231PD.BCST 0(AX), Z21, Z25
	VFMADD231PD.BCST 8(AX), Z22, Z25
	VFMADD231PD.BCST 16(AX), Z23, Z25
	VFMADD231PD.BCST 24(AX), Z24, Z25
	VMOVUPD     Z25, (DX)
	VMOVUPD     (DX)(R13*1), Z25
	VFMADD231PD.BCST 32(AX), Z21, Z25
	VFMADD231PD.BCST 40(AX), Z22, Z25
	VFMADD231PD.BCST 48(AX), Z23, Z25
	VFMADD231PD.BCST 56(AX), Z24, Z25
	VMOVUPD     Z25, (DX)(R13*1)
	VMOVUPD     (DX)(R13*2), Z25
	VFMADD231PD.BCST 64(AX), Z21, Z25
	VFMADD231PD.BCST 72(AX), Z22, Z25
	VFMADD231PD.BCST 80(AX), Z23, Z25
	VFMADD231PD.BCST 88(AX), Z24, Z25
	VMOVUPD     Z25, (DX)(R13*2)
	VMOVUPD     (R14), Z25
	VFMADD231PD.BCST 96(AX), Z21, Z25
	VFMADD231PD.BCST 104(AX), Z22, Z25
	VFMADD231PD.BCST 112(AX), Z23, Z25
	VFMADD231PD.BCST 120(AX), Z24, Z25
	VMOVUPD     Z25, (R14)
	ADDQ        $64, SI
	ADDQ        $64, R8
	ADDQ        $64, R10
	ADDQ        $64, R11
	ADDQ        $64, DI
	ADDQ        $64, R12
	ADDQ        $64, DX
	ADDQ        $64, R14
	DECQ        CX
	JNZ         d44ploop

	MOVQ acc+56(FP), AX
	VMOVUPD Z0, 0(AX)
	VMOVUPD Z1, 64(AX)
	VMOVUPD Z2, 128(AX)
	VMOVUPD Z3, 192(AX)
	VMOVUPD Z4, 256(AX)
	VMOVUPD Z5, 320(AX)
	VMOVUPD Z6, 384(AX)
	VMOVUPD Z7, 448(AX)
	VMOVUPD Z8, 512(AX)
	VMOVUPD Z9, 576(AX)
	VMOVUPD Z10, 640(AX)
	VMOVUPD Z11, 704(AX)
	VMOVUPD Z12, 768(AX)
	VMOVUPD Z13, 832(AX)
	VMOVUPD Z14, 896(AX)
	VMOVUPD Z15, 960(AX)
	VZEROUPPER
	RET

// func dotLanesAVXAsm(rows *[6]*float64, lo int, xt *float64, n int, acc *[8][48]float64)
//
// The dot products of six rows with eight iterates at once, the iterates in
// the lanes of two registers. The accumulators are those of dot4AVXAsm:
// for each row and iterate, lane u of the two registers of dot4AVXAsm sums
// the columns l ≡ u (mod 8) in order; here that sum is
// acc[u][8·row+iterate]. Columns lo…lo+n−1 of the rows (n a multiple of 8)
// are added to it: for u = 0…7, the twelve registers of acc[u] are loaded,
// take columns lo+u, lo+u+8, …, and are stored back. xt holds the eight x
// of those columns, eight values (one per iterate) a column, in the order
// the passes take them (lo, lo+8, …, then lo+1, lo+9, …), so that each
// pass reads xt in sequence. Meanwhile it prefetches the next n columns of
// the rows (row u mod 6 in pass u, a cache line a step), the tile the next
// call takes.
TEXT ·dotLanesAVXAsm(SB), NOSPLIT, $0-40
	MOVQ rows+0(FP), R13
	MOVQ lo+8(FP), AX
	SHLQ $3, AX
	MOVQ 0(R13), SI
	MOVQ 8(R13), R8
	MOVQ 16(R13), R9
	MOVQ 24(R13), R10
	MOVQ 32(R13), R11
	MOVQ 40(R13), R12
	ADDQ AX, SI
	ADDQ AX, R8
	ADDQ AX, R9
	ADDQ AX, R10
	ADDQ AX, R11
	ADDQ AX, R12
	MOVQ n+24(FP), CX
	MOVQ acc+32(FP), DX
	XORQ R13, R13

lanesu:
	CMPQ R13, $8
	JGE  lanesdone
	MOVQ xt+16(FP), DI
	MOVQ R13, AX
	IMULQ CX, AX
	SHLQ $3, AX
	ADDQ AX, DI
	VMOVUPD 0(DX), Y0
	VMOVUPD 32(DX), Y1
	VMOVUPD 64(DX), Y2
	VMOVUPD 96(DX), Y3
	VMOVUPD 128(DX), Y4
	VMOVUPD 160(DX), Y5
	VMOVUPD 192(DX), Y6
	VMOVUPD 224(DX), Y7
	VMOVUPD 256(DX), Y8
	VMOVUPD 288(DX), Y9
	VMOVUPD 320(DX), Y10
	VMOVUPD 352(DX), Y11
	MOVQ R13, AX
	CMPQ AX, $6
	JLT  lanesrow
	SUBQ $6, AX

lanesrow:
	MOVQ rows+0(FP), BX
	MOVQ (BX)(AX*8), BX
	MOVQ lo+8(FP), AX
	ADDQ CX, AX
	LEAQ (BX)(AX*8), BX
	MOVQ R13, AX
	CMPQ AX, CX
	JGE  lanesstore

lanesl:
	PREFETCHT0 (BX)(AX*8)
	VMOVUPD (DI), Y12
	VMOVUPD 32(DI), Y13
	VBROADCASTSD (SI)(AX*8), Y14
	VFMADD231PD Y12, Y14, Y0
	VFMADD231PD Y13, Y14, Y1
	VBROADCASTSD (R8)(AX*8), Y15
	VFMADD231PD Y12, Y15, Y2
	VFMADD231PD Y13, Y15, Y3
	VBROADCASTSD (R9)(AX*8), Y14
	VFMADD231PD Y12, Y14, Y4
	VFMADD231PD Y13, Y14, Y5
	VBROADCASTSD (R10)(AX*8), Y15
	VFMADD231PD Y12, Y15, Y6
	VFMADD231PD Y13, Y15, Y7
	VBROADCASTSD (R11)(AX*8), Y14
	VFMADD231PD Y12, Y14, Y8
	VFMADD231PD Y13, Y14, Y9
	VBROADCASTSD (R12)(AX*8), Y15
	VFMADD231PD Y12, Y15, Y10
	VFMADD231PD Y13, Y15, Y11
	ADDQ $64, DI
	ADDQ $8, AX
	CMPQ AX, CX
	JLT  lanesl

lanesstore:
	VMOVUPD Y0, 0(DX)
	VMOVUPD Y1, 32(DX)
	VMOVUPD Y2, 64(DX)
	VMOVUPD Y3, 96(DX)
	VMOVUPD Y4, 128(DX)
	VMOVUPD Y5, 160(DX)
	VMOVUPD Y6, 192(DX)
	VMOVUPD Y7, 224(DX)
	VMOVUPD Y8, 256(DX)
	VMOVUPD Y9, 288(DX)
	VMOVUPD Y10, 320(DX)
	VMOVUPD Y11, 352(DX)
	ADDQ $384, DX
	INCQ R13
	JMP  lanesu

lanesdone:
	VZEROUPPER
	RET

// func axpyLanesAVXAsm(rows *[6]*float64, gt *float64, n int, r *[48]float64)
//
// Adds r[8·k+t]·row_k to iterate t's adjoint for the six rows k = 0…5 and
// eight iterates t, the iterates in the lanes of two registers (gt holds
// column l of the eight adjoints at gt[8·l…8·l+7]), over columns 0…n−1.
// Each entry gets its six FMAs in row order, as from axpy4AVXAsm.
TEXT ·axpyLanesAVXAsm(SB), NOSPLIT, $0-32
	MOVQ rows+0(FP), R13
	MOVQ 0(R13), SI
	MOVQ 8(R13), R8
	MOVQ 16(R13), R9
	MOVQ 24(R13), R10
	MOVQ 32(R13), R11
	MOVQ 40(R13), R12
	MOVQ gt+8(FP), DI
	MOVQ n+16(FP), CX
	MOVQ r+24(FP), DX
	VMOVUPD 0(DX), Y4
	VMOVUPD 32(DX), Y5
	VMOVUPD 64(DX), Y6
	VMOVUPD 96(DX), Y7
	VMOVUPD 128(DX), Y8
	VMOVUPD 160(DX), Y9
	VMOVUPD 192(DX), Y10
	VMOVUPD 224(DX), Y11
	VMOVUPD 256(DX), Y12
	VMOVUPD 288(DX), Y13
	VMOVUPD 320(DX), Y14
	VMOVUPD 352(DX), Y15
	XORQ AX, AX
	CMPQ AX, CX
	JGE  lanesgdone

lanesg:
	VMOVUPD (DI), Y0
	VMOVUPD 32(DI), Y1
	VBROADCASTSD (SI)(AX*8), Y2
	VFMADD231PD Y4, Y2, Y0
	VFMADD231PD Y5, Y2, Y1
	VBROADCASTSD (R8)(AX*8), Y3
	VFMADD231PD Y6, Y3, Y0
	VFMADD231PD Y7, Y3, Y1
	VBROADCASTSD (R9)(AX*8), Y2
	VFMADD231PD Y8, Y2, Y0
	VFMADD231PD Y9, Y2, Y1
	VBROADCASTSD (R10)(AX*8), Y3
	VFMADD231PD Y10, Y3, Y0
	VFMADD231PD Y11, Y3, Y1
	VBROADCASTSD (R11)(AX*8), Y2
	VFMADD231PD Y12, Y2, Y0
	VFMADD231PD Y13, Y2, Y1
	VBROADCASTSD (R12)(AX*8), Y3
	VFMADD231PD Y14, Y3, Y0
	VFMADD231PD Y15, Y3, Y1
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	ADDQ $64, DI
	INCQ AX
	CMPQ AX, CX
	JLT  lanesg

lanesgdone:
	VZEROUPPER
	RET
