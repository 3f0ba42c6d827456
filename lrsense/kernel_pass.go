package lrsense

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// rowMatrix holds the m measurement rows of a dense operator, each of
// length c and already scaled by 1/√m, in one slice, and makes
// the passes over them: r = A·x (− y), g = Aᵀ·r, or both fused so that each
// block of four rows is read from memory once, its residuals formed while
// it is in cache and added into g at once.
//
// The rows are cut into a fixed number of chunks that depends only on m and
// c. Each chunk sums its part of g separately, and the chunk sums are added
// in chunk order. Chunks run in parallel on the calling goroutine and the
// package's pass helpers, but which goroutine runs a chunk does not change
// any result: a pass gives bit-identical results whatever the number of
// workers (see passWorkers).
type rowMatrix struct {
	m, c int
	// Row i is a[i·stride : i·stride+c]. The stride is c rounded up to a
	// multiple of 8 and a starts on a 64-byte boundary, so every row starts
	// on a cache line: a vector load of a row then never straddles two
	// lines. The padding is never read into a result.
	stride int
	a      []float64
	chunk  int // rows per chunk, a multiple of 4
	nchunk int

	mu   sync.Mutex
	free []*passWork // workspaces of finished passes, for reuse
}

// passChunkElems is the least number of entries in a chunk (about 0.5 MB)
// worth handing to another goroutine. Tests lower it to get many chunks on
// small operators.
var passChunkElems = 1 << 16

const (
	// passMaxChunks caps the number of chunks, and so the number of
	// partial sums of g a pass keeps and adds.
	passMaxChunks = 16
	// passReduceCols is the number of entries of g per task when the
	// chunk sums are added.
	passReduceCols = 2048
)

// newRowMatrix returns an m×c rowMatrix of zeros, to be filled through row.
func newRowMatrix(m, c int) *rowMatrix {
	n := min(max(m*c/passChunkElems, 1), passMaxChunks, (m+3)/4)
	rows := (m + n - 1) / n
	rows = (rows + 3) &^ 3
	stride := (c + 7) &^ 7
	return &rowMatrix{m: m, c: c, stride: stride, a: alignedFloats(m * stride), chunk: rows, nchunk: (m + rows - 1) / rows}
}

// alignedFloats returns n zeros starting on a 64-byte (cache-line)
// boundary.
func alignedFloats(n int) []float64 {
	buf := make([]float64, n+7)
	off := int(-uintptr(unsafe.Pointer(&buf[0])) / 8 & 7)
	return buf[off : off+n : off+n]
}

// row returns row i.
func (rm *rowMatrix) row(i int) []float64 {
	lo := i * rm.stride
	return rm.a[lo : lo+rm.c : lo+rm.c]
}

// block returns the block of the four rows from row i (see kernels): the
// elements from the start of row i to the end of row i+3.
func (rm *rowMatrix) block(i int) []float64 {
	return rm.a[i*rm.stride : (i+3)*rm.stride+rm.c]
}

// rows returns the elements of rows lo…hi−1, padding included: what a pass
// over them reads from memory.
func (rm *rowMatrix) rows(lo, hi int) []float64 {
	return rm.a[lo*rm.stride : hi*rm.stride]
}

// passWork is the workspace of one pass. The operators' own scratch
// vectors (packed or copied x, g, y) live here too, so that operators are
// safe for concurrent use: each concurrent pass takes its own workspace.
type passWork struct {
	parts      [][]float64 // sums of g of chunks 1, 2, …
	x, g, y, s []float64   // operator scratch, sized by the operator
	lanes      laneWork    // the batched pass's lane path
	job        passJob
}

// getWork returns a free workspace, or a new one.
func (rm *rowMatrix) getWork() *passWork {
	rm.mu.Lock()
	if n := len(rm.free); n > 0 {
		w := rm.free[n-1]
		rm.free = rm.free[:n-1]
		rm.mu.Unlock()
		return w
	}
	rm.mu.Unlock()
	w := &passWork{parts: make([][]float64, rm.nchunk-1)}
	for i := range w.parts {
		w.parts[i] = make([]float64, rm.c)
	}
	return w
}

// putWork returns w for reuse.
func (rm *rowMatrix) putWork(w *passWork) {
	w.job = passJob{}
	rm.mu.Lock()
	rm.free = append(rm.free, w)
	rm.mu.Unlock()
}

// workBytes returns the size of the chunk sums of one workspace.
func (rm *rowMatrix) workBytes() int { return 8 * (rm.nchunk - 1) * rm.c }

type passMode int

const (
	modeApply   passMode = iota // r = A·x, or A·x − y when y is not nil
	modeAdjoint                 // g = Aᵀ·r
	modeFused                   // r = A·x − y and g = Aᵀ·r
	modeMapped                  // r = A·x − y, s = f(r) entrywise and g = Aᵀ·s
)

// pass makes one pass with kernels k. Slices have length m (r, s, y) or c
// (x, g); y may be nil in modeApply, g is not used there, x not in
// modeAdjoint; s and f are used only in modeMapped. r may alias y, and s
// may alias r or y.
func (rm *rowMatrix) pass(w *passWork, k kernels, mode passMode, g, r, s, x, y []float64, f func(float64) float64) {
	j := &w.job
	*j = passJob{rm: rm, k: k, mode: mode, g: g, r: r, s: s, x: x, y: y, f: f, parts: w.parts, ntask: rm.nchunk}
	j.dispatch()
	if mode != modeApply && rm.nchunk > 1 {
		j.phase = 1
		j.ntask = (rm.c + passReduceCols - 1) / passReduceCols
		j.dispatch()
	}
	*j = passJob{}
}

// passJob is one phase of a pass, split into tasks that goroutines take in
// turn: the chunks (phase 0), then column ranges of the sum of the chunk
// sums (phase 1).
type passJob struct {
	rm            *rowMatrix
	k             kernels
	mode          passMode
	g, r, s, x, y []float64
	f             func(float64) float64
	parts         [][]float64
	batch         []batchItem // the iterates of a batched pass (passBatch)
	lanes         *laneWork   // set when the batched pass takes the lane path
	phase         int
	ntask         int
	next          atomic.Int64
	wg            sync.WaitGroup
}

// passWorkers is the number of goroutines a pass may use, the caller
// included; 0 means GOMAXPROCS. Results do not depend on it; tests set it.
var passWorkers atomic.Int64

// passHelpers receives jobs for the helper goroutines. It is unbuffered:
// a job goes only to a helper that is idle, so a pass never waits for one.
var passHelpers = make(chan *passJob)

var helperState struct {
	mu sync.Mutex
	n  atomic.Int64
}

// ensureHelpers starts helper goroutines until there are n. They live as
// long as the program and are parked while idle.
func ensureHelpers(n int) {
	if int(helperState.n.Load()) >= n {
		return
	}
	helperState.mu.Lock()
	defer helperState.mu.Unlock()
	for int(helperState.n.Load()) < n {
		helperState.n.Add(1)
		go func() {
			for j := range passHelpers {
				j.work()
				j.wg.Done()
			}
		}()
	}
}

func (j *passJob) dispatch() {
	j.next.Store(0)
	workers := int(passWorkers.Load())
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if helpers := min(workers, j.ntask) - 1; helpers > 0 {
		ensureHelpers(helpers)
	send:
		for h := 0; h < helpers; h++ {
			j.wg.Add(1)
			select {
			case passHelpers <- j:
			default:
				j.wg.Done()
				break send
			}
		}
	}
	j.work()
	j.wg.Wait()
}

// work runs tasks until none is left.
func (j *passJob) work() {
	for {
		t := int(j.next.Add(1) - 1)
		if t >= j.ntask {
			return
		}
		switch {
		case j.batch != nil && j.phase == 0:
			j.chunkBatch(t)
		case j.batch != nil:
			j.reduceBatch(t)
		case j.phase == 0:
			j.chunk(t)
		default:
			j.reduce(t)
		}
	}
}

// chunk runs the pass over the rows of chunk q.
func (j *passJob) chunk(q int) {
	rm := j.rm
	c := rm.c
	lo := q * rm.chunk
	hi := min(rm.m, lo+rm.chunk)
	var dst []float64
	if j.mode != modeApply {
		if q == 0 {
			dst = j.g[:c]
		} else {
			dst = j.parts[q-1][:c]
		}
		clear(dst)
	}
	r, x, y := j.r, j.x, j.y
	st := rm.stride
	i := lo
	if j.k.asm && (j.mode == modeFused || j.mode == modeMapped) {
		if j.k.wide {
			i = j.chunkPiped8(lo, hi, dst)
		}
		i = j.chunkPiped(i, hi, dst)
	}
	for ; i+4 <= hi; i += 4 {
		blk := rm.block(i)
		var rr [4]float64
		switch j.mode {
		case modeApply:
			j.k.dot4(&rr, blk, st, x)
			if y != nil {
				rr[0] -= y[i]
				rr[1] -= y[i+1]
				rr[2] -= y[i+2]
				rr[3] -= y[i+3]
			}
			copy(r[i:i+4], rr[:])
		case modeAdjoint:
			copy(rr[:], r[i:i+4])
			j.k.axpy4(dst, blk, st, &rr)
		default: // modeFused, modeMapped
			j.k.dot4(&rr, blk, st, x)
			j.finish4(&rr, i)
			j.k.axpy4(dst, blk, st, &rr)
		}
	}
	for ; i < hi; i++ {
		row := rm.row(i)
		var ri float64
		if j.mode == modeAdjoint {
			ri = r[i]
		} else {
			ri = dot1(row, x)
			if y != nil {
				ri -= y[i]
			}
			r[i] = ri
			if j.mode == modeMapped {
				ri = j.f(ri)
				j.s[i] = ri
			}
		}
		if j.mode != modeApply {
			axpy1(dst, row, ri)
		}
	}
}

// chunkPiped is the fused (or mapped) pass over the blocks of four rows of
// rows lo…hi−1 with the assembly kernels, software-pipelined: the dot
// products of each block are taken in the same loop (dotAxpy4) as the
// adjoint update of the block before, so that the pass streams rows from
// memory all the time instead of stopping for each update. Every row gets
// the FMAs of dot4Asm and every entry of dst those of axpy4Asm, in the
// same order, as in the plain loop of chunk. It returns the first row it
// did not cover.
func (j *passJob) chunkPiped(lo, hi int, dst []float64) int {
	rm := j.rm
	c, st := rm.c, rm.stride
	n8 := c &^ 7
	if n8 == 0 || hi-lo < 8 {
		return lo
	}
	var acc [32]float64
	var cur, next [4]float64
	blk := rm.block(lo)
	dot4Acc(&acc, blk, st, 0, n8, j.x)
	dot4Finish(&cur, &acc, blk, st, n8, j.x)
	j.finish4(&cur, lo)
	i := lo
	for ; i+8 <= hi; i += 4 {
		blk, nblk := rm.block(i), rm.block(i+4)
		acc = [32]float64{}
		dotAxpy4(&acc, nblk, blk, st, j.x, dst, n8, &cur)
		if n8 < c {
			j.k.axpy4(dst[n8:c], blk[n8:], st, &cur)
		}
		dot4Finish(&next, &acc, nblk, st, n8, j.x)
		j.finish4(&next, i+4)
		cur = next
	}
	j.k.axpy4(dst, rm.block(i), st, &cur)
	return i + 4
}

// finish4 is batchItem.finish4 for the single pass: f is used only in
// modeMapped.
func (j *passJob) finish4(rr *[4]float64, i int) {
	f := j.f
	if j.mode != modeMapped {
		f = nil
	}
	residual4(rr, i, j.y, j.r, j.s, f)
}

// reduce adds the chunk sums into g for columns of task t, in chunk order.
func (j *passJob) reduce(t int) {
	lo := t * passReduceCols
	hi := min(j.rm.c, lo+passReduceCols)
	g := j.g[lo:hi]
	for _, p := range j.parts {
		j.k.add(g, p[lo:hi])
	}
}

// chunkPiped8 is chunkPiped with blocks of eight rows and the AVX-512
// kernel dotAxpy8, which reads x and g once per eight rows instead of
// four: the L2 cache then serves fewer lines per row, while each row and
// each entry of g gets the same FMAs in the same order. It covers the
// rows from lo in blocks of eight while at least two blocks remain and
// returns the first row it did not cover.
func (j *passJob) chunkPiped8(lo, hi int, dst []float64) int {
	rm := j.rm
	c, st := rm.c, rm.stride
	n8 := c &^ 7
	if n8 == 0 || hi-lo < 16 {
		return lo
	}
	var acc [2][32]float64
	var cur, next [8]float64
	for h := 0; h < 2; h++ {
		blk := rm.block(lo + 4*h)
		dot4Acc(&acc[h], blk, st, 0, n8, j.x)
		dot4Finish((*[4]float64)(cur[4*h:]), &acc[h], blk, st, n8, j.x)
		j.finish4((*[4]float64)(cur[4*h:]), lo+4*h)
	}
	i := lo
	for ; i+16 <= hi; i += 8 {
		blk := rm.a[i*st : (i+7)*st+c]
		nblk := rm.a[(i+8)*st : (i+15)*st+c]
		acc = [2][32]float64{}
		dotAxpy8(&acc, nblk, blk, st, j.x, dst, n8, &cur)
		if n8 < c {
			j.k.axpy4(dst[n8:c], blk[n8:], st, (*[4]float64)(cur[:4]))
			j.k.axpy4(dst[n8:c], blk[4*st+n8:], st, (*[4]float64)(cur[4:]))
		}
		for h := 0; h < 2; h++ {
			b := rm.block(i + 8 + 4*h)
			dot4Finish((*[4]float64)(next[4*h:]), &acc[h], b, st, n8, j.x)
			j.finish4((*[4]float64)(next[4*h:]), i+8+4*h)
		}
		cur = next
	}
	j.k.axpy4(dst, rm.block(i), st, (*[4]float64)(cur[:4]))
	j.k.axpy4(dst, rm.block(i+4), st, (*[4]float64)(cur[4:]))
	return i + 8
}
