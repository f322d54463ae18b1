//go:build !cgo

package transport

// libzmqBuilt is false: without cgo only the pure Go backend exists.
const libzmqBuilt = false

func listenLibZMQ(kind Kind, endpoint string, opt Options) (Socket, error) {
	panic("unreachable: Listen checks libzmqBuilt")
}
