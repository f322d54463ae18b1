package cell

// Run-time panics in Go's words: yaegi reports many run-time errors of
// interpreted code as the reflect panics of its implementation (an index
// out of range is "reflect: slice index out of range", a nil pointer
// dereference "reflect: call of reflect.Value.Set on zero Value"), and the
// position it prints is that of the first statement of the function that
// panicked, not of the failing expression. classify names the error as Go
// does; runpos.go finds the expression.

import (
	"regexp"
	"strconv"
	"strings"
)

// panicKind is the kind of a run-time panic, which decides the
// expressions that may have caused it.
type panicKind int

const (
	kindOther      panicKind = iota // a panic of compiled code, or a message yaegi did not translate
	kindUser                        // panic() called by interpreted code
	kindIndex                       // index out of range
	kindSlice                       // slice bounds out of range
	kindDivide                      // integer divide by zero
	kindNilMap                      // assignment to entry in nil map
	kindNil                         // nil pointer dereference (or call of a nil func, method of a nil interface)
	kindConversion                  // failed type assertion (yaegi's message carries the position)
)

// Go's messages of the kinds whose values are not known.
const (
	msgIndex  = "runtime error: index out of range"
	msgSlice  = "runtime error: slice bounds out of range"
	msgDivide = "runtime error: integer divide by zero"
	msgNilMap = "assignment to entry in nil map"
	msgNil    = "runtime error: invalid memory address or nil pointer dereference"
)

// zeroValueCall matches reflect's panics on the zero Value, which yaegi
// raises when it dereferences a nil pointer.
var zeroValueCall = regexp.MustCompile(`^reflect: call of reflect\.Value\.\w+ on zero Value$`)

// conversionPos matches the position that prefixes yaegi's interface
// conversion panics: cell[N]/_.go:LINE:COL: interface conversion: ...
var conversionPos = regexp.MustCompile(`^((?:cell\[\d+\]/_\.go|expr/_\.go):\d+:\d+): (interface conversion: .*)$`)

// classify returns the kind of the run-time panic message msg of yaegi or
// of the Go runtime, and the message as Go says it (without the values
// Go adds, which yaegi does not report: see located). Messages of other
// kinds are returned unchanged with kindOther. O(len(msg)).
func classify(msg string) (panicKind, string) {
	switch {
	case msg == "reflect: slice index out of range", msg == "reflect: array index out of range",
		msg == "reflect: string index out of range":
		return kindIndex, msgIndex
	case strings.HasPrefix(msg, msgIndex):
		return kindIndex, msg // Go's own message, from compiled code
	case strings.HasPrefix(msg, "reflect.Value.Slice") && strings.HasSuffix(msg, "index out of bounds"):
		return kindSlice, msgSlice
	case strings.HasPrefix(msg, msgSlice):
		return kindSlice, msg
	case msg == msgDivide:
		return kindDivide, msg
	case msg == msgNilMap:
		return kindNilMap, msg
	case zeroValueCall.MatchString(msg), msg == "reflect: Method on nil interface value",
		msg == "reflect.Value.Call: call of nil function", msg == msgNil,
		strings.HasPrefix(msg, "reflect: indirection through nil pointer"):
		return kindNil, msgNil
	case strings.Contains(msg, "interface conversion: "):
		if m := conversionPos.FindStringSubmatch(msg); m != nil {
			return kindConversion, m[2]
		}
		return kindConversion, msg
	}
	return kindOther, msg
}

// conversionPosition returns the position yaegi put before an interface
// conversion message ("cell[3]/_.go:2:6"), or "".
func conversionPosition(msg string) string {
	if m := conversionPos.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}

// frame is one line that yaegi prints for each interpreted function a
// panic goes through, innermost first: "cell[N]/_.go:L:C: panic: F(...)",
// where L:C is the position of the first statement of F.
type frame struct {
	cell, line, col int
	fn              string // "main" for the statements of a cell, "main.f", "main.func" (a func literal)
}

// framePattern parses the frame lines.
var framePattern = regexp.MustCompile(`^cell\[(\d+)\]/_\.go:(\d+):(\d+): panic: (.*)\(\.\.\.\)$`)

// parseFrame parses one of yaegi's panic lines; ok is false for lines of
// other files (user expressions, the kernel's own code).
func parseFrame(l string) (f frame, ok bool) {
	m := framePattern.FindStringSubmatch(strings.TrimSpace(l))
	if m == nil {
		return frame{}, false
	}
	f.cell, _ = strconv.Atoi(m[1])
	f.line, _ = strconv.Atoi(m[2])
	f.col, _ = strconv.Atoi(m[3])
	f.fn = m[4]
	return f, true
}

// String formats f as yaegi does.
func (f frame) String() string {
	return "cell[" + strconv.Itoa(f.cell) + "]/_.go:" + strconv.Itoa(f.line) + ":" + strconv.Itoa(f.col) + ": panic: " + f.fn + "(...)"
}

// panicOrigin tells, from the Go stack of the recovered panic, whether
// the first panic was raised by yaegi's interpreter itself (an operation of
// interpreted code, or its panic builtin: user is true then) or by
// compiled code that interpreted code called.
func panicOrigin(stack string) (interpreted, user bool) {
	i := strings.LastIndex(stack, "\npanic(")
	if i < 0 {
		return false, false
	}
	lines := strings.Split(stack[i+1:], "\n")
	// lines[0] is panic(...), lines[1] its file; then function, file pairs.
	for j := 2; j < len(lines); j += 2 {
		fn := lines[j]
		if strings.HasPrefix(fn, "runtime.") {
			continue // runtime.panicIndex, runtime.panicdivide, ...
		}
		if strings.HasPrefix(fn, "github.com/traefik/yaegi/interp._panic") {
			return true, true
		}
		return strings.HasPrefix(fn, "github.com/traefik/yaegi/interp.") || strings.HasPrefix(fn, "reflect."), false
	}
	return false, false
}
