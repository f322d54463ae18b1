package zmtp

import (
	"net"
	"sync"
)

// queueBytes bounds the bytes queued for one connection, whatever the
// number of messages.
const queueBytes = 128 << 20

// queue writes whole messages to a connection on its own goroutine.
// Messages pushed while it holds max messages (or queueBytes) are dropped,
// as a ZeroMQ PUB socket drops them for a subscriber at its high-water
// mark; a write error closes the connection, so that zmq4's reader sees it
// end. Memory: the queued messages.
type queue struct {
	c     net.Conn
	max   int
	mu    sync.Mutex
	msgs  [][]byte
	bytes int
	wake  chan struct{}
	done  chan struct{}
	once  sync.Once
}

func newQueue(c net.Conn, max int) *queue {
	q := &queue{c: c, max: max, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go q.run()
	return q
}

// push queues m, or drops it when the queue is full. O(1).
func (q *queue) push(m []byte) {
	q.mu.Lock()
	if len(q.msgs) >= q.max || q.bytes+len(m) > queueBytes {
		q.mu.Unlock()
		return
	}
	q.msgs = append(q.msgs, m)
	q.bytes += len(m)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// stop ends the writer; queued messages are dropped.
func (q *queue) stop() { q.once.Do(func() { close(q.done) }) }

func (q *queue) run() {
	for {
		select {
		case <-q.done:
			return
		case <-q.wake:
		}
		q.mu.Lock()
		msgs := q.msgs
		q.msgs, q.bytes = nil, 0
		q.mu.Unlock()
		for _, m := range msgs {
			if _, err := q.c.Write(m); err != nil {
				q.c.Close()
				q.stop()
				return
			}
		}
	}
}
