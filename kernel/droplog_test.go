package kernel

import (
	"testing"
	"time"
)

func TestDropLog(t *testing.T) {
	var d dropLog
	t0 := time.Unix(1000, 0)
	logged := 0
	for i := range 3 * dropBurst {
		ok, missed := d.allow(t0.Add(time.Duration(i) * time.Millisecond))
		if missed != 0 {
			t.Fatalf("drop %d: %d reported missed inside the first window", i, missed)
		}
		if ok {
			logged++
		}
	}
	if logged != dropBurst {
		t.Errorf("%d of %d drops logged in one window, want %d", logged, 3*dropBurst, dropBurst)
	}
	ok, missed := d.allow(t0.Add(dropWindow))
	if !ok || missed != 2*dropBurst {
		t.Errorf("first drop of the next window: logged %v, missed %d; want true, %d", ok, missed, 2*dropBurst)
	}
	if _, missed := d.allow(t0.Add(2*dropWindow + time.Second)); missed != 0 {
		t.Errorf("a window without suppressed drops reported %d", missed)
	}
}
