// Package sample is a fixture for the docgen tests.
//
// It has a second paragraph.
package sample

// Mode selects a thing.
type Mode int

// Modes.
const (
	// Fast is fast.
	Fast Mode = iota
	Slow      // Slow is slow.
	Medium
)

// Limits of the sample.
const (
	MaxA, MaxB = 1, 2
	hidden     = 3
)

// Default is the default mode.
var Default = Fast

// Point is a point.
type Point struct {
	X, Y float64 // coordinates
	tag  string
}

// NewPoint returns a point.
func NewPoint(x, y float64) *Point { return &Point{X: x, Y: y} }

// Norm returns the Euclidean norm.
func (p *Point) Norm() float64 { return p.X*p.X + p.Y*p.Y }

func (p *Point) private() {}

// Map applies f to xs.
func Map[T any](xs []T, f func(T) T) []T { return xs }

// Long has a long doc.
//
// Second paragraph that is rather long, more than forty characters for sure.
//
// Third.
func Long() {}

func unexported() {}
