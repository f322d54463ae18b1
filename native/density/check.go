package density

import (
	"errors"

	"github.com/subspace-kernel/subspace/native/internal/check"
)

// chk words density's argument errors ("density: data is nil (nil matrix)").
var chk = check.New("density")

var errNilKDE = errors.New("density: KDE is nil (build it with NewKDE)")
