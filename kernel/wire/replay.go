package wire

import (
	"errors"
	"strings"
	"sync"
)

// DefaultReplayHistory is the number of signatures a Replays remembers by
// default: ipykernel's digest_history_size (2^16).
const DefaultReplayHistory = 1 << 16

// ErrReplayed is returned (wrapped) for a message whose signature was seen
// before.
var ErrReplayed = errors.New("replayed message (signature seen before)")

// Replays is a bounded history of the signatures of accepted messages, so
// that a signed message captured on the wire and sent again is dropped (as
// ipykernel's Session does with its digest_history). A signature is
// remembered only after it verified, so that a sender without the key
// cannot push real signatures out; when the history is full the oldest
// one is forgotten (ipykernel drops a random 10%). Signatures compare
// case-insensitively, as their hex decoding does. Safe for concurrent use.
// Memory: O(size) signatures of 64 hex characters.
type Replays struct {
	mu   sync.Mutex
	seen map[string]struct{}
	ring []string // remembered signatures in arrival order, oldest at next
	next int
}

// NewReplays returns a history of at most size signatures (size <= 0:
// DefaultReplayHistory). O(1).
func NewReplays(size int) *Replays {
	if size <= 0 {
		size = DefaultReplayHistory
	}
	return &Replays{seen: make(map[string]struct{}), ring: make([]string, 0, size)}
}

// Check records sig and returns ErrReplayed if it was already recorded. An
// empty signature (signing disabled) is never recorded. O(len(sig)).
func (r *Replays) Check(sig string) error {
	if sig == "" {
		return nil
	}
	sig = strings.ToLower(sig)
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.seen[sig]; ok {
		return ErrReplayed
	}
	r.seen[sig] = struct{}{}
	if len(r.ring) < cap(r.ring) {
		r.ring = append(r.ring, sig)
		return nil
	}
	delete(r.seen, r.ring[r.next])
	r.ring[r.next] = sig
	r.next = (r.next + 1) % len(r.ring)
	return nil
}

// Len returns the number of remembered signatures. O(1).
func (r *Replays) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}
