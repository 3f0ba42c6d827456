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

// func axpy4StrideAVXAsm(dst, a *float64, n, stride int, r *[4]float64)
//
// axpy4AVXAsm on n elements of four rows a, a+stride, a+2·stride,
// a+3·stride: every element gets the same chain of FMAs, so a row can be
// taken in column tiles.
TEXT ·axpy4StrideAVXAsm(SB), NOSPLIT, $0-40
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

sloop8:
	CMPQ AX, R11
	JGE  stail4
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
	JMP  sloop8

stail4:
	MOVQ CX, R11
	SUBQ AX, R11
	CMPQ R11, $4
	JLT  sscalar
	VMOVUPD (DI)(AX*8), Y0
	VFMADD231PD (SI)(AX*8), Y12, Y0
	VFMADD231PD (R8)(AX*8), Y13, Y0
	VFMADD231PD (R9)(AX*8), Y14, Y0
	VFMADD231PD (R10)(AX*8), Y15, Y0
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ $4, AX

sscalar:
	CMPQ AX, CX
	JGE  sdone
	VMOVSD (DI)(AX*8), X0
	VFMADD231SD (SI)(AX*8), X12, X0
	VFMADD231SD (R8)(AX*8), X13, X0
	VFMADD231SD (R9)(AX*8), X14, X0
	VFMADD231SD (R10)(AX*8), X15, X0
	VMOVSD X0, (DI)(AX*8)
	INCQ AX
	JMP  sscalar

sdone:
	VZEROUPPER
	RET
