package lrsense

import (
	"math"
	"unsafe"
)

// The batched pass: one sweep over the rows of a rowMatrix computes the
// residuals and adjoints of several iterates. Each block of four rows is
// read from memory once and, while it is in cache, each iterate's residuals
// are formed (dot4) and added into that iterate's g (axpy4), exactly as the
// single pass does for one iterate: the same kernels, chunks, chunk order
// and reduction order, so an iterate's results are bit-identical to those
// of a pass made for it alone. With the AVX2 kernels and six iterates or
// more, the pass takes the lane path instead (kernel_lanes.go): the same
// floating-point operations, with the iterates in the lanes of the vector
// registers.

// batchItem is one iterate of a batched pass, in modeFused or modeMapped
// (f not nil). Slices are as in rowMatrix.pass; parts holds the item's sums
// of g of chunks 1, 2, ….
type batchItem struct {
	g, r, s, x, y []float64
	f             func(float64) float64
	parts         [][]float64
}

// finish4 turns the dot products rr of rows i…i+3 with it.x into their
// residuals and multipliers (see residual4).
func (it *batchItem) finish4(rr *[4]float64, i int) {
	residual4(rr, i, it.y, it.r, it.s, it.f)
}

// residual returns the multiplier of row i in the adjoint (its residual
// d − y[i], or f of it) for its dot product d with x, storing the residual
// in r (and the multiplier in s), as residual4 does for four rows.
func (it *batchItem) residual(d float64, i int) float64 {
	ri := d - it.y[i]
	it.r[i] = ri
	if it.f != nil {
		ri = it.f(ri)
		it.s[i] = ri
	}
	return ri
}

// residual4 turns the dot products rr of rows i…i+3 into the residuals
// rr − y (stored in r) and, when f is not nil, into f of them (stored in
// s): what the rows are multiplied by in the adjoint. r and s may alias y.
func residual4(rr *[4]float64, i int, y, r, s []float64, f func(float64) float64) {
	y = y[i : i+4]
	rr[0] -= y[0]
	rr[1] -= y[1]
	rr[2] -= y[2]
	rr[3] -= y[3]
	copy(r[i:i+4], rr[:])
	if f != nil {
		for t := range rr {
			rr[t] = f(rr[t])
			s[i+t] = rr[t]
		}
	}
}

// passBatchMax is the most iterates a batched pass takes; callers split
// larger batches.
const passBatchMax = 16

// passBatch makes one fused (or mapped) pass for every item with kernels k,
// using w's job. Each item's parts must have rm.nchunk−1 slices of length
// rm.c (see batchWork.carve).
func (rm *rowMatrix) passBatch(w *passWork, k kernels, items []batchItem) {
	if len(items) > passBatchMax {
		panic("lrsense: batched pass of more than passBatchMax iterates")
	}
	if len(items) == 1 {
		// One iterate: the single pass, which streams the rows faster.
		it := &items[0]
		mode := modeFused
		if it.f != nil {
			mode = modeMapped
		}
		rm.pass(w, k, mode, it.g, it.r, it.s, it.x, it.y, it.f)
		return
	}
	j := &w.job
	*j = passJob{rm: rm, k: k, mode: modeFused, batch: items, ntask: rm.nchunk}
	if usesLanes(k, len(items)) {
		w.lanes.prepare(rm, items)
		j.lanes = &w.lanes
	}
	j.dispatch()
	if rm.nchunk > 1 || j.lanes != nil {
		j.phase = 1
		if j.lanes != nil {
			j.ntask = laneGroups(len(items)) * laneReduceTasks(rm.c)
		} else {
			j.ntask = len(items) * ((rm.c + passReduceCols - 1) / passReduceCols)
		}
		j.dispatch()
	}
	*j = passJob{}
}

// chunkBatch runs the batched pass over the rows of chunk q.
func (j *passJob) chunkBatch(q int) {
	if j.lanes != nil {
		j.chunkLanes(q)
		return
	}
	rm := j.rm
	c := rm.c
	lo := q * rm.chunk
	hi := min(rm.m, lo+rm.chunk)
	var dsts [passBatchMax][]float64
	for b := range j.batch {
		it := &j.batch[b]
		if q == 0 {
			dsts[b] = it.g[:c]
		} else {
			dsts[b] = it.parts[q-1][:c]
		}
		clear(dsts[b])
	}
	i := lo
	if j.k.asm {
		if j.k.wide && len(j.batch) == 2 {
			i = j.pairPiped(lo, hi, &dsts)
		}
		if j.k.wide && len(j.batch) == 4 && !j.tiledPrefetches() {
			i = j.quadPiped(lo, hi, &dsts)
		}
		i = j.blocksTiled(i, hi, &dsts)
	}
	for ; i+4 <= hi; i += 4 {
		blk := rm.block(i)
		for b := range j.batch {
			it := &j.batch[b]
			var rr [4]float64
			j.k.dot4(&rr, blk, rm.stride, it.x)
			it.finish4(&rr, i)
			j.k.axpy4(dsts[b], blk, rm.stride, &rr)
		}
	}
	for ; i < hi; i++ {
		row := rm.row(i)
		for b := range j.batch {
			it := &j.batch[b]
			axpy1(dsts[b], row, it.residual(dot1(row, it.x), i))
		}
	}
}

// reduceBatch adds the chunk sums of one item into its g, for one column
// range, in chunk order.
func (j *passJob) reduceBatch(t int) {
	if j.lanes != nil {
		j.reduceLanes(t)
		return
	}
	per := (j.rm.c + passReduceCols - 1) / passReduceCols
	it := &j.batch[t/per]
	lo := (t % per) * passReduceCols
	hi := min(j.rm.c, lo+passReduceCols)
	g := it.g[lo:hi]
	for _, p := range it.parts {
		j.k.add(g, p[lo:hi])
	}
}

// passBatchTile is the width of the column tiles of the assembly batched
// pass, and passBatchQuads the number of blocks of four rows it takes at a
// time: a tile of those rows and of every iterate's x (or g) stay in the
// L1 cache while the dot products (or adjoint updates) of all iterates go
// over it, and each tile of an x or g read from the L2 cache serves
// 4·passBatchQuads rows. With 8 rows, 8 iterates and 256 columns that is
// 32 KB. Tests change both.
var (
	passBatchTile  = 256
	passBatchQuads = 2
)

// passBatchMaxQuads bounds passBatchQuads.
const passBatchMaxQuads = 4

// batchQuads returns passBatchQuads within 1…passBatchMaxQuads: the number
// of blocks of four rows blocksTiled takes at a time.
func batchQuads() int { return min(max(passBatchQuads, 1), passBatchMaxQuads) }

// blocksTiled is the batched pass over the blocks of four rows in rows
// lo…hi−1 with the assembly kernels, passBatchQuads blocks at a time (then
// one at a time), in column tiles: for those rows, the dot products of all
// iterates tile by tile (dot4Acc, or dot4x4 for four iterates at a time
// with AVX-512; then dot4Finish), then their adjoint updates tile by tile,
// block after block in row order (axpy4, or axpy4x4). Each iterate
// gets the floating-point operations of dot4Asm and axpy4Asm on the whole
// rows, in the same order: a row's dot product depends on that row alone,
// and each entry of g gets its FMAs in row order. It returns the first row
// it did not cover.
func (j *passJob) blocksTiled(lo, hi int, dsts *[passBatchMax][]float64) int {
	quads := batchQuads()
	var w batchAccs
	var pf prefetcher
	on := j.tiledPrefetches()
	i := lo
	for ; i+4*quads <= hi; i += 4 * quads {
		if on {
			pf.rows = j.rm.rows(i+4*quads, min(hi, i+8*quads))
		}
		j.quadsTiled(&w, &pf, i, quads, dsts)
	}
	for ; i+4 <= hi; i += 4 {
		if on {
			pf.rows = j.rm.rows(i+4, min(hi, i+8))
		}
		j.quadsTiled(&w, &pf, i, 1, dsts)
	}
	return i
}

// tiledPrefetches reports whether blocksTiled prefetches the rows of the
// next group: only while the rows of two groups and every iterate's x and
// g fit in the L2 cache; beyond, the prefetched rows would push out the
// vectors the group works on.
func (j *passJob) tiledPrefetches() bool {
	quads := batchQuads()
	return 8*j.rm.stride*(8*quads+2*len(j.batch)) <= passBatchL2
}

// passBatchL2 is the part of a core's L2 cache (2 MB where this was tuned)
// the batched pass may fill with rows and vectors when it prefetches.
const passBatchL2 = 3 << 19

// prefetcher hands the AVX-512 kernels of quadsTiled the rows the pass
// reads after the current ones, a kernel call's worth at a time, so that
// they come from memory into the L2 cache while the current rows are
// computed on: the pass then reads memory all the time, not only while it
// takes the dot products. Where the rows run out it points at rows
// already fetched; a prefetch changes no result.
type prefetcher struct {
	rows []float64
}

// next returns where a kernel call over n columns (n/8 cache lines)
// prefetches, and advances.
func (p *prefetcher) next(n int, cur *float64) *float64 {
	if len(p.rows) >= n {
		pf := &p.rows[0]
		p.rows = p.rows[n:]
		return pf
	}
	return cur
}

// batchAccs holds the dot-product accumulators and residuals of the blocks
// of a quadsTiled call: [block][iterate].
type batchAccs struct {
	acc [passBatchMaxQuads][passBatchMax][32]float64
	rr  [passBatchMaxQuads][passBatchMax][4]float64
}

// quadsTiled is blocksTiled over the nq blocks of four rows from row i.
func (j *passJob) quadsTiled(w *batchAccs, pf *prefetcher, i, nq int, dsts *[passBatchMax][]float64) {
	rm := j.rm
	c, st := rm.c, rm.stride
	n8 := c &^ 7
	tile := passBatchTile
	nb := len(j.batch)
	var blks [passBatchMaxQuads][]float64
	for q := range nq {
		blks[q] = rm.block(i + 4*q)
		for b := range nb {
			w.acc[q][b] = [32]float64{}
		}
	}
	// The four-iterate groups of the AVX-512 kernels, then a pair if two
	// iterates are left, with their x and g checked to hold c elements;
	// the AVX2 kernels take the iterates from rest on.
	ng, pair := 0, false
	if j.k.wide {
		ng, pair = nb/4, nb%4 >= 2
	}
	rest := 4 * ng
	if pair {
		rest += 2
	}
	var xs, gs [passBatchMax/4 + 1][4]*float64
	for b := range rest {
		xs[b/4][b%4] = &j.batch[b].x[:c][0]
		gs[b/4][b%4] = &dsts[b][:c][0]
	}
	xs2, gs2 := (*[2]*float64)(xs[ng][:2]), (*[2]*float64)(gs[ng][:2])
	for t := 0; t < n8; t += tile {
		te := min(t+tile, n8)
		for g := range ng {
			for q := range nq {
				dot4x4((*[4][32]float64)(w.acc[q][4*g:4*g+4]), &blks[q][0], st, &xs[g], t, te-t, pf.next(te-t, &blks[q][t]))
			}
		}
		if pair {
			for q := range nq {
				dot4x2((*[2][32]float64)(w.acc[q][4*ng:4*ng+2]), &blks[q][0], st, xs2, t, te-t, pf.next(te-t, &blks[q][t]))
			}
		}
		for b := rest; b < nb; b++ {
			for q := range nq {
				dot4Acc(&w.acc[q][b], blks[q], st, t, te, j.batch[b].x)
			}
		}
	}
	for q := range nq {
		for b := range nb {
			it := &j.batch[b]
			rr := &w.rr[q][b]
			dot4Finish(rr, &w.acc[q][b], blks[q], st, n8, it.x)
			it.finish4(rr, i+4*q)
		}
	}
	for t := 0; t < c; t += tile {
		te := min(t+tile, c)
		w8 := t + (te-t)&^7
		if w8 > t {
			for g := range ng {
				for q := 0; q < nq; q++ {
					axpy4x4(&gs[g], &blks[q][0], st, t, w8-t, (*[4][4]float64)(w.rr[q][4*g:4*g+4]), pf.next(w8-t, &blks[q][t]))
				}
			}
			if pair {
				for q := 0; q < nq; q++ {
					axpy4x2(gs2, &blks[q][0], st, t, w8-t, (*[2][4]float64)(w.rr[q][4*ng:4*ng+2]), pf.next(w8-t, &blks[q][t]))
				}
			}
		}
		if w8 < te {
			for b := range rest {
				for q := range nq {
					j.k.axpy4(dsts[b][w8:te], blks[q][w8:], st, &w.rr[q][b])
				}
			}
		}
		for b := rest; b < nb; b++ {
			for q := range nq {
				j.k.axpy4(dsts[b][t:te], blks[q][t:], st, &w.rr[q][b])
			}
		}
	}
}

// dot4Finish ends dot4Asm for the rows of the block blk (stride apart, of
// length c = len(x)) after its main loop over the first n8 = c &^ 7
// columns, whose accumulators are in acc: per row, it
// adds the two accumulators, takes a remaining group of four columns,
// sums the lanes pairwise and adds the last columns one FMA at a time, as
// dot4AVXAsm does.
func dot4Finish(out *[4]float64, acc *[32]float64, blk []float64, stride, n8 int, x []float64) {
	c := len(x)
	for r := 0; r < 4; r++ {
		row := blk[r*stride : r*stride+c]
		a := acc[8*r : 8*r+8]
		v := [4]float64{a[0] + a[4], a[1] + a[5], a[2] + a[6], a[3] + a[7]}
		k := n8
		if c-k >= 4 {
			for l := range v {
				v[l] = math.FMA(x[k+l], row[k+l], v[l])
			}
			k += 4
		}
		s := (v[0] + v[2]) + (v[1] + v[3])
		for ; k < c; k++ {
			s = math.FMA(x[k], row[k], s)
		}
		out[r] = s
	}
}

// pairPiped is the batched pass of two iterates over the rows from lo in
// blocks of eight, with the AVX-512 kernel dotAxpy8x2: as in the single
// pass (chunkPiped8), the dot products of each block are taken in the
// loop that adds the block before into g, for both iterates at once, so
// the pass streams rows from memory all the time. For two iterates this is
// faster than blocksTiled, whose column tiles read each row twice (from
// memory for the dot products, from L2 for the updates) to reuse x and g
// from L1, a reuse that two iterates do not repay. Each iterate gets the
// FMAs of the single pass, in the same order. The iterates' x and
// destinations must be the same number of elements apart (batchWork.carve
// lays them out so), and at least two blocks must remain; it returns the
// first row it did not cover.
func (j *passJob) pairPiped(lo, hi int, dsts *[passBatchMax][]float64) int {
	rm := j.rm
	c, st := rm.c, rm.stride
	n8 := c &^ 7
	if n8 == 0 || hi-lo < 16 {
		return lo
	}
	vs, ok := j.itemSpacing(dsts, 2)
	if !ok {
		return lo
	}
	var acc [2][2][32]float64
	var cur, next [2][8]float64
	for t := range 2 {
		it := &j.batch[t]
		for h := range 2 {
			blk := rm.block(lo + 4*h)
			rr := (*[4]float64)(cur[t][4*h:])
			dot4Acc(&acc[t][h], blk, st, 0, n8, it.x)
			dot4Finish(rr, &acc[t][h], blk, st, n8, it.x)
			it.finish4(rr, lo+4*h)
		}
	}
	i := lo
	for ; i+16 <= hi; i += 8 {
		blk := rm.a[i*st : (i+7)*st+c]
		nblk := rm.a[(i+8)*st : (i+15)*st+c]
		acc = [2][2][32]float64{}
		dotAxpy8x2(&acc, &nblk[0], &blk[0], st, &j.batch[0].x[0], &dsts[0][0], vs, n8, &cur)
		for t := range 2 {
			it := &j.batch[t]
			for h := range 2 {
				if n8 < c {
					j.k.axpy4(dsts[t][n8:c], blk[4*h*st+n8:], st, (*[4]float64)(cur[t][4*h:]))
				}
				b := rm.block(i + 8 + 4*h)
				rr := (*[4]float64)(next[t][4*h:])
				dot4Finish(rr, &acc[t][h], b, st, n8, it.x)
				it.finish4(rr, i+8+4*h)
			}
		}
		cur = next
	}
	for t := range 2 {
		j.k.axpy4(dsts[t], rm.block(i), st, (*[4]float64)(cur[t][:4]))
		j.k.axpy4(dsts[t], rm.block(i+4), st, (*[4]float64)(cur[t][4:]))
	}
	return i + 8
}

// itemSpacing returns the distance in elements between the x of
// consecutive items of the first n, if their x and their dsts start that
// same distance apart one after the other (as batchWork.carve lays them
// out), and false if not.
func (j *passJob) itemSpacing(dsts *[passBatchMax][]float64, n int) (int, bool) {
	c := j.rm.c
	at := func(v []float64) int { return int(uintptr(unsafe.Pointer(&v[:c][0]))) }
	d := at(j.batch[1].x) - at(j.batch[0].x)
	for b := range n {
		if at(j.batch[b].x)-at(j.batch[0].x) != b*d || at(dsts[b])-at(dsts[0]) != b*d {
			return 0, false
		}
	}
	return d / 8, d%8 == 0
}

// quadPiped is pairPiped for four iterates, in blocks of four rows with
// dotAxpy4x4p (sixteen dot-product accumulators fill half the registers).
// chunkBatch takes it only where blocksTiled would not prefetch (long rows,
// as at n1 = n2 = 100): there it was faster, where blocksTiled prefetches
// it was not.
func (j *passJob) quadPiped(lo, hi int, dsts *[passBatchMax][]float64) int {
	rm := j.rm
	c, st := rm.c, rm.stride
	n8 := c &^ 7
	if n8 == 0 || hi-lo < 8 {
		return lo
	}
	vs, ok := j.itemSpacing(dsts, 4)
	if !ok {
		return lo
	}
	var acc [4][32]float64
	var cur, next [4][4]float64
	blk := rm.block(lo)
	for b := range 4 {
		it := &j.batch[b]
		dot4Acc(&acc[b], blk, st, 0, n8, it.x)
		dot4Finish(&cur[b], &acc[b], blk, st, n8, it.x)
		it.finish4(&cur[b], lo)
	}
	i := lo
	for ; i+8 <= hi; i += 4 {
		blk, nblk := rm.block(i), rm.block(i+4)
		acc = [4][32]float64{}
		dotAxpy4x4p(&acc, &nblk[0], &blk[0], st, &j.batch[0].x[0], &dsts[0][0], vs, n8, &cur)
		for b := range 4 {
			it := &j.batch[b]
			if n8 < c {
				j.k.axpy4(dsts[b][n8:c], blk[n8:], st, &cur[b])
			}
			dot4Finish(&next[b], &acc[b], nblk, st, n8, it.x)
			it.finish4(&next[b], i+4)
		}
		cur = next
	}
	for b := range 4 {
		j.k.axpy4(dsts[b], rm.block(i), st, &cur[b])
	}
	return i + 4
}
