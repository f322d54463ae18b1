package nn

import (
	"testing"
	"time"

	"github.com/subspace-kernel/subspace/native/dataset/mnist"
)

// TestMNISTAccuracy trains the 784-256-128-10 MLP (ReLU, Adam, batch 128,
// learning rate 2e-3, 8 epochs) on the 8,000 training images of the
// fixed MNIST split and requires >= 95% accuracy on its 2,000 test
// images. It needs the converted data: without it, mnist.Load's error says
// to run `make data`.
func TestMNISTAccuracy(t *testing.T) {
	s, err := mnist.Load()
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMLP([]int{mnist.Features, 256, 128, mnist.Classes}, ReLU, 1)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	h, err := m.Train(s.TrainImages, s.TrainLabels, TrainConfig{Epochs: 8, BatchSize: 128, LearningRate: 2e-3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	acc, err := m.Accuracy(s.TestImages, s.TestLabels)
	if err != nil {
		t.Fatal(err)
	}
	trainAcc, _ := m.Accuracy(s.TrainImages, s.TrainLabels)
	t.Logf("%d parameters, %d epochs in %.1f s (%.0f samples/s), loss %.4f -> %.4f, train accuracy %.4f, test accuracy %.4f",
		m.NumParams(), len(h.Loss), took.Seconds(), float64(h.Samples)/took.Seconds(), h.Loss[0], h.Loss[len(h.Loss)-1], trainAcc, acc)
	if acc < 0.95 {
		t.Errorf("test accuracy %.4f < 0.95", acc)
	}
	if h.Loss[len(h.Loss)-1] > h.Loss[0]/10 {
		t.Errorf("loss only went from %v to %v", h.Loss[0], h.Loss[len(h.Loss)-1])
	}
}
