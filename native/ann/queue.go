package ann

// minQueue is a binary min-heap of (distance, node) pairs: the candidates
// of a best-first search, nearest on top.
type minQueue struct {
	d  []float32
	id []int32
}

func (q *minQueue) reset()   { q.d, q.id = q.d[:0], q.id[:0] }
func (q *minQueue) len() int { return len(q.d) }

// push adds (d, i). O(log n).
func (q *minQueue) push(d float32, i int32) {
	q.d = append(q.d, d)
	q.id = append(q.id, i)
	j := len(q.d) - 1
	for j > 0 {
		p := (j - 1) / 2
		if q.d[p] <= d {
			break
		}
		q.d[j], q.id[j] = q.d[p], q.id[p]
		j = p
	}
	q.d[j], q.id[j] = d, i
}

// pop removes and returns the nearest pair. O(log n).
func (q *minQueue) pop() (float32, int32) {
	d0, i0 := q.d[0], q.id[0]
	last := len(q.d) - 1
	d, i := q.d[last], q.id[last]
	q.d, q.id = q.d[:last], q.id[:last]
	if last == 0 {
		return d0, i0
	}
	j := 0
	for {
		c := 2*j + 1
		if c >= last {
			break
		}
		if r := c + 1; r < last && q.d[r] < q.d[c] {
			c = r
		}
		if q.d[c] >= d {
			break
		}
		q.d[j], q.id[j] = q.d[c], q.id[c]
		j = c
	}
	q.d[j], q.id[j] = d, i
	return d0, i0
}
