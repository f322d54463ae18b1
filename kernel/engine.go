package kernel

import "github.com/subspace-kernel/subspace/api"

// EngineConfig is what the kernel gives an EngineFactory: the sink of the
// engine's output, whose streams and displays go to the executing (or
// last) request and whose input requests go to the client's stdin channel.
type EngineConfig struct {
	Sink api.Sink
}

// EngineFactory creates the kernel's engine once its sockets are bound.
type EngineFactory func(EngineConfig) (api.Engine, error)
