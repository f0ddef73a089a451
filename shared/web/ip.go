package web

import "net"

func parseCIDR(s string) (net.IP, *net.IPNet, error) { return net.ParseCIDR(s) }
