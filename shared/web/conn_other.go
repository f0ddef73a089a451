//go:build !linux

package web

import "net"

func cork(*net.TCPConn) func() { return func() {} }
