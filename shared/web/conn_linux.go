package web

import (
	"net"
	"syscall"
)

// cork sets TCP_CORK on tc and returns the func that clears it, which sends what it held.
func cork(tc *net.TCPConn) (uncork func()) {
	raw, err := tc.SyscallConn()
	if err != nil {
		return func() {}
	}
	set := func(on int) error {
		var serr error
		if err := raw.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK, on)
		}); err != nil {
			return err
		}
		return serr
	}
	if set(1) != nil {
		return func() {}
	}
	return func() { _ = set(0) }
}
