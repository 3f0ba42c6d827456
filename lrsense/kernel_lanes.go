package lrsense

import "math"

// The lane path of the batched pass (AVX2 kernels, six iterates or more):
// the iterates go in the lanes of the vector registers, eight at a time,
// and each row entry is broadcast to them, as in a matrix product. Six rows
// and eight iterates then keep twelve registers of sums while each column
// costs eight loads, where the row-by-row kernels (dot4Acc, axpy4) load a
// row vector for every FMA. The x of the iterates are interleaved first,
// eight values (one per iterate) a column, each tile's columns in the
// order the dot products take them (see dotLanesAVXAsm; the last c mod 8
// columns in place: column l at xt[8·l…8·l+7]). Each chunk's adjoints are
// summed interleaved (column l at gt[8·l…8·l+7]), then spread to the
// iterates' own vectors.
//
// The floating-point operations are those of the single pass: each row's
// dot product keeps dot4AVXAsm's eight partial sums (columns by residue
// mod 8, finished by finishLanes as dot4Finish does) and each adjoint
// entry gets its FMAs in row order, so results stay bit-identical.

const (
	laneWidth = 8 // iterates per lane group
	laneRows  = 6 // rows per kernel call
)

// passLaneTile is the column tile of the lane dot products: 6 rows and 8
// interleaved x of a 128-column tile (14 KB) stay in the L1 cache while the
// eight partial sums go over it in turn. Tests change it.
var passLaneTile = 128

// passLanesMin is the least number of iterates a batched pass takes the
// lane kernels for: fewer leave too many lanes empty. At sym n = 100 the
// lane path was faster at 6 and 8 iterates (paired A/B, 0.91–0.95 and
// 0.78) and slower at 4, which it pads to 8.
var passLanesMin = 6

// laneWork is the scratch of the lane path, kept in a pass's workspace.
type laneWork struct {
	xt   []float64   // the items' x interleaved, a lane group after another
	sums [][]float64 // each chunk's adjoint sums, interleaved likewise
	zero []float64   // a row of zeros for the missing rows of a short group
}

// usesLanes reports whether a batched pass of nb iterates with kernels k
// takes the lane path.
func usesLanes(k kernels, nb int) bool {
	return k.asm && !k.wide && nb >= passLanesMin
}

// prepare interleaves the x of items into lw.xt, with zeros in the lanes
// no item fills, and sizes the chunk sums.
func (lw *laneWork) prepare(rm *rowMatrix, items []batchItem) {
	c := rm.c
	n := laneGroups(len(items)) * c * laneWidth
	lw.xt = resize(lw.xt, n)
	clear(lw.xt)
	n8 := c &^ 7
	tile := laneTile()
	for b := range items {
		xt := lw.xt[(b/laneWidth)*c*laneWidth:]
		t := b % laneWidth
		x := items[b].x[:c]
		for lo := 0; lo < n8; lo += tile {
			w := min(tile, n8-lo)
			for u := range 8 {
				// Columns lo+u, lo+u+8, … in a row (see dotLanesAVXAsm).
				dst := xt[laneWidth*(lo+u*w/8):]
				for s := range w / 8 {
					dst[laneWidth*s+t] = x[lo+u+8*s]
				}
			}
		}
		for l := n8; l < c; l++ {
			xt[laneWidth*l+t] = x[l]
		}
	}
	if len(lw.sums) < rm.nchunk {
		lw.sums = make([][]float64, rm.nchunk)
	}
	for q := range rm.nchunk {
		lw.sums[q] = resize(lw.sums[q], n)
	}
	lw.zero = resize(lw.zero, c)
}

// resize returns b with length n, reallocated (zeroed) if too small.
func resize(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

// laneTile returns the column tile of the lane dot products (see
// passLaneTile), a positive multiple of 8.
func laneTile() int { return max(passLaneTile&^7, 8) }

// laneGroups returns the number of lane groups nb iterates take.
func laneGroups(nb int) int { return (nb + laneWidth - 1) / laneWidth }

// chunkLanes is the batched pass over the rows of chunk q with the lane
// kernels (the blocks of four rows; the last rows of the operator, m mod
// 4 of them, as in chunkBatch), into the chunk's interleaved sums.
func (j *passJob) chunkLanes(q int) {
	rm := j.rm
	c, st := rm.c, rm.stride
	lo := q * rm.chunk
	hi := min(rm.m, lo+rm.chunk)
	end := lo + (hi-lo)&^3
	lw := j.lanes
	nb := len(j.batch)
	size := c * laneWidth
	gt := lw.sums[q]
	clear(gt)
	n8 := c &^ 7
	tile := laneTile()
	var acc [8][laneRows * laneWidth]float64
	var mult [laneRows * laneWidth]float64
	var rows [laneRows]*float64
	for i := lo; i < end; i += laneRows {
		nr := min(laneRows, end-i)
		for k := range rows {
			if k < nr {
				rows[k] = &rm.a[(i+k)*st : (i+k)*st+c][0]
			} else {
				rows[k] = &lw.zero[:c][0]
			}
		}
		for g := range laneGroups(nb) {
			xt := lw.xt[g*size : (g+1)*size]
			acc = [8][laneRows * laneWidth]float64{}
			for t := 0; t < n8; t += tile {
				te := min(t+tile, n8)
				dotLanes(&rows, t, xt[laneWidth*t:], te-t, &acc)
			}
			j.finishLanes(&mult, &acc, i, nr, g, xt)
			axpyLanes(&rows, gt[g*size:(g+1)*size], &mult)
		}
	}
	for i := end; i < hi; i++ {
		row := rm.row(i)
		for b := range j.batch {
			it := &j.batch[b]
			ri := it.residual(dot1(row, it.x), i)
			g := gt[(b/laneWidth)*size+b%laneWidth:]
			for l, a := range row {
				g[laneWidth*l] += ri * a // as axpy1
			}
		}
	}
}

// laneReduceCols is the number of columns of a lane group's sums per task
// when the chunk sums are added: as many entries as passReduceCols.
const laneReduceCols = passReduceCols / laneWidth

// laneReduceTasks returns the number of such tasks per lane group.
func laneReduceTasks(c int) int { return (c + laneReduceCols - 1) / laneReduceCols }

// reduceLanes adds the chunk sums of one lane group into the first
// chunk's, for one column range, in chunk order (as reduceBatch), and
// hands each iterate of the group its adjoint for that range.
func (j *passJob) reduceLanes(t int) {
	c := j.rm.c
	per := laneReduceTasks(c)
	g := t / per
	lo := (t % per) * laneReduceCols
	hi := min(c, lo+laneReduceCols)
	at := func(v []float64) []float64 { return v[(g*c+lo)*laneWidth : (g*c+hi)*laneWidth] }
	sum := at(j.lanes.sums[0])
	for _, p := range j.lanes.sums[1:j.rm.nchunk] {
		j.k.add(sum, at(p))
	}
	items := j.batch[g*laneWidth : min(len(j.batch), (g+1)*laneWidth)]
	var dst [laneWidth][]float64
	for b := range items {
		dst[b] = items[b].g[lo:hi]
	}
	for l := range hi - lo {
		v := sum[laneWidth*l : laneWidth*l+laneWidth]
		for b := range items {
			dst[b][l] = v[b]
		}
	}
}

// finishLanes ends the dot products of rows i…i+nr−1 with the iterates of
// lane group g (their x interleaved in xt) from the partial sums acc, as
// dot4Finish does, turns them into residuals and multipliers (residual) and
// stores the multipliers in mult for axpyLanes; the lanes
// of missing rows get −0, which adds nothing to any sum.
func (j *passJob) finishLanes(mult *[laneRows * laneWidth]float64, acc *[8][laneRows * laneWidth]float64, i, nr, g int, xt []float64) {
	rm := j.rm
	c := rm.c
	n8 := c &^ 7
	negZero := math.Copysign(0, -1)
	for r := range laneRows {
		if r >= nr {
			for t := range laneWidth {
				mult[laneWidth*r+t] = negZero
			}
			continue
		}
		row := rm.row(i + r)
		for t := range laneWidth {
			q := laneWidth*r + t
			b := g*laneWidth + t
			if b >= len(j.batch) {
				mult[q] = 0
				continue
			}
			// dot4Finish's sums, written out for strided x: a shared
			// function called per row and iterate cost the pass 2–8%
			// (paired A/B). TestBatchPassBitIdentical holds the two equal.
			v := [4]float64{acc[0][q] + acc[4][q], acc[1][q] + acc[5][q], acc[2][q] + acc[6][q], acc[3][q] + acc[7][q]}
			k := n8
			if c-k >= 4 {
				for l := range v {
					v[l] = math.FMA(xt[laneWidth*(k+l)+t], row[k+l], v[l])
				}
				k += 4
			}
			s := (v[0] + v[2]) + (v[1] + v[3])
			for ; k < c; k++ {
				s = math.FMA(xt[laneWidth*k+t], row[k], s)
			}
			mult[q] = j.batch[b].residual(s, i+r)
		}
	}
}
