package wire

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestReplays(t *testing.T) {
	r := NewReplays(3)
	for i, step := range []struct {
		sig    string
		replay bool
	}{
		{"", false}, {"", false}, // unsigned messages are never remembered
		{"aa", false}, {"bb", false}, {"cc", false},
		{"aa", true}, {"AA", true}, // hex compares case-insensitively
		{"dd", false}, // forgets aa, the oldest
		{"aa", false}, // forgets bb
		{"cc", true}, {"dd", true},
		{"bb", false}, // forgets cc
		{"cc", false},
	} {
		err := r.Check(step.sig)
		if got := errors.Is(err, ErrReplayed); got != step.replay || (err != nil && !got) {
			t.Fatalf("step %d: Check(%q) = %v, want replay %v", i, step.sig, err, step.replay)
		}
	}
	if r.Len() != 3 {
		t.Errorf("Len() = %d, want 3", r.Len())
	}
	if got := cap(NewReplays(0).ring); got != DefaultReplayHistory {
		t.Errorf("default history of %d signatures, want %d", got, DefaultReplayHistory)
	}
}

// TestReplaysConcurrent: of many goroutines checking one signature, exactly
// one is accepted.
func TestReplaysConcurrent(t *testing.T) {
	r := NewReplays(0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sig := "Ab01"
			if i%2 == 0 {
				sig = strings.ToLower(sig)
			}
			if r.Check(sig) == nil {
				mu.Lock()
				accepted++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if accepted != 1 {
		t.Errorf("%d goroutines accepted the same signature, want 1", accepted)
	}
}

// TestParseKeepsSignature: Parse hands the signature frame on, for the
// replay check.
func TestParseKeepsSignature(t *testing.T) {
	s, _ := NewSigner("hmac-sha256", "k")
	m, err := New("kernel_info_request", "sess", "u", nil, nil, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	fr, _ := m.Frames(s)
	got, err := Parse(fr, s)
	if err != nil {
		t.Fatal(err)
	}
	if got.Signature != string(fr[1]) || len(got.Signature) != 64 {
		t.Errorf("Signature = %q, want the frame %q", got.Signature, fr[1])
	}
}
