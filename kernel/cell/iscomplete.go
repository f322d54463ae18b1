package cell

import "github.com/subspace-kernel/subspace/kernel/cell/rewrite"

// IsComplete tells a console whether code can run as it is (see
// rewrite.IsComplete). O(len(code)).
func IsComplete(code string) (status, indent string) { return rewrite.IsComplete(code) }

// IsComplete is the package function IsComplete, as a method so that a
// Session satisfies the kernel's engine interface directly.
func (s *Session) IsComplete(code string) (status, indent string) { return IsComplete(code) }
