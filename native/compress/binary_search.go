package compress

import (
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/subspace-kernel/subspace/native/internal/topk"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// Search returns the k best rows of every query (1 <= k <= n): by Hamming
// distance of the binarised query, ties by smaller row, then re-ranked per
// the index's Rescore among the Candidates best. Cost per query: O(n d/64)
// popcounts, O(n + d) for the selection, O(Candidates d) to rescore;
// queries run in parallel.
func (b *BinaryIndex) Search(queries *mat32.Dense, k int) (*knn.Result, error) {
	m, err := checkIn("queries", queries, b.dim)
	if err != nil {
		return nil, err
	}
	if err := chk.K("k", k, 1, b.n, "k cannot exceed the indexed rows"); err != nil {
		return nil, err
	}
	qcodes, _, err := Binarize(queries, b.thr)
	if err != nil {
		return nil, err
	}
	c := k
	if b.opts.Rescore != NoRescore {
		c = b.opts.Candidates
		if c == 0 {
			c = 10 * k
		}
		c = min(max(c, k), b.n)
	}
	res := &knn.Result{N: m, K: k, Index: make([]int, m*k), Dist: make([]float64, m*k)}
	parallelQueries(m, b.opts.Workers, func() func(i int) {
		dist := make([]uint16, b.n)
		count := make([]int, 8*b.stride+2)
		cand := make([]int, 0, c)
		return func(i int) {
			cand = b.hammingTop(qcodes[i*b.stride:(i+1)*b.stride], c, dist, count, cand[:0])
			b.rescore(queries.Row(i), cand, dist, k, res.Neighbors(i), res.Distances(i))
		}
	})
	return res, nil
}

// hammingTop appends to cand the c rows of smallest Hamming distance to
// the packed query q (ties by smaller row), in row order. dist (n) and
// count (d+2) are scratch. O(n) after the n distances: a counting pass
// finds the cut-off distance.
func (b *BinaryIndex) hammingTop(q []byte, c int, dist []uint16, count []int, cand []int) []int {
	clear(count)
	b.hammingAll(q, dist)
	for _, h := range dist[:b.n] {
		count[h]++
	}
	cut, below := 0, 0 // rows at distance < cut: below; take all of them
	for ; below+count[cut] < c; cut++ {
		below += count[cut]
	}
	atCut := c - below // rows taken at distance == cut, smallest first
	for r, h := range dist[:b.n] {
		if int(h) < cut {
			cand = append(cand, r)
		} else if int(h) == cut && atCut > 0 {
			cand = append(cand, r)
			atCut--
		}
	}
	return cand
}

// hammingAll writes the Hamming distance of every row to q into dist:
// 64-bit words with the query's words held in registers when rows are a
// whole number of words (an unrolled loop for 256-bit codes), Hamming
// otherwise. O(n d/64).
func (b *BinaryIndex) hammingAll(q []byte, dist []uint16) {
	dist = dist[:b.n]
	if b.stride%8 != 0 {
		for r := range dist {
			dist[r] = uint16(Hamming(q, b.codes[r*b.stride:(r+1)*b.stride]))
		}
		return
	}
	qw := make([]uint64, b.stride/8)
	for j := range qw {
		qw[j] = binary.LittleEndian.Uint64(q[8*j:])
	}
	if len(qw) == 4 {
		q0, q1, q2, q3 := qw[0], qw[1], qw[2], qw[3]
		for r := range dist {
			row := b.codes[r*32 : r*32+32]
			dist[r] = uint16(bits.OnesCount64(q0^binary.LittleEndian.Uint64(row[0:])) +
				bits.OnesCount64(q1^binary.LittleEndian.Uint64(row[8:])) +
				bits.OnesCount64(q2^binary.LittleEndian.Uint64(row[16:])) +
				bits.OnesCount64(q3^binary.LittleEndian.Uint64(row[24:])))
		}
		return
	}
	for r := range dist {
		row := b.codes[r*b.stride : (r+1)*b.stride]
		h := 0
		for j, x := range qw {
			h += bits.OnesCount64(x ^ binary.LittleEndian.Uint64(row[8*j:]))
		}
		dist[r] = uint16(h)
	}
}

// rescore orders the candidates (by Hamming, or by the index's rescoring)
// and writes the best k. O(c d) to rescore, O(c log c) to sort.
func (b *BinaryIndex) rescore(query []float32, cand []int, dist []uint16, k int, idx []int, out []float64) {
	key := make([]float64, len(cand))
	for t, r := range cand {
		switch b.opts.Rescore {
		case NoRescore:
			key[t] = float64(dist[r])
		case AsymmetricRescore:
			key[t] = -b.signDot(query, r)
		case FloatRescore:
			key[t] = euclid64(query, b.data.Row(r))
		}
	}
	topk.SortPairs(key, cand)
	copy(idx, cand[:k])
	copy(out, key[:k])
}

// signDot returns sum_j (q_j - t_j) s_j with s_j = +1 when bit j of row r
// is set, -1 otherwise. O(d).
func (b *BinaryIndex) signDot(q []float32, r int) float64 {
	code := b.codes[r*b.stride : (r+1)*b.stride]
	var s float64
	for j, v := range q {
		x := float64(v)
		if b.thr != nil {
			x -= float64(b.thr[j])
		}
		if code[j>>3]&(0x80>>(j&7)) != 0 {
			s += x
		} else {
			s -= x
		}
	}
	return s
}

// euclid64 returns ||x - y|| accumulated in float64. O(len(x)).
func euclid64(x, y []float32) float64 {
	var s float64
	for j, v := range x {
		e := float64(v) - float64(y[j])
		s += e * e
	}
	return math.Sqrt(s)
}
