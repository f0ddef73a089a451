package main

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
)

// wsClient is a minimal RFC 6455 client for the benchmark: one TCP connection, a 512-byte
// read buffer, and a frame reader that reuses its payload buffer. The benchmark's clients share
// the machine's CPU with the hub, and every cycle they spend is charged to the latency the
// benchmark reports as the hub's, so they do no more than a browser's socket must: read
// frames, answer pings, and hand text frames over.
type wsClient struct {
	conn net.Conn
	br   *bufio.Reader
	buf  []byte
	wmu  sync.Mutex
}

const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// dialWS performs the opening handshake and checks the server's Sec-WebSocket-Accept.
func dialWS(addr, path string) (*wsClient, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	k := make([]byte, 16)
	_, _ = rand.Read(k)
	key := base64.StdEncoding.EncodeToString(k)
	req := "GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		conn.Close()
		return nil, err
	}
	br := bufio.NewReaderSize(conn, 512)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	res.Body.Close()
	sum := sha1.Sum([]byte(key + wsGUID))
	if res.StatusCode != http.StatusSwitchingProtocols || !strings.EqualFold(res.Header.Get("Upgrade"), "websocket") ||
		res.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		conn.Close()
		return nil, fmt.Errorf("handshake refused: %s", res.Status)
	}
	return &wsClient{conn: conn, br: br, buf: make([]byte, 0, 256)}, nil
}

var errClosed = errors.New("closed by the server")

// readText returns the next text message (single-frame; the hub never fragments), answering
// pings on the way. The returned slice is valid until the next call.
func (c *wsClient) readText() ([]byte, error) {
	for {
		var h [2]byte
		if _, err := io.ReadFull(c.br, h[:]); err != nil {
			return nil, err
		}
		op, masked := h[0]&0x0f, h[1]&0x80 != 0
		if masked || h[0]&0x80 == 0 {
			return nil, errors.New("the server sent a masked or fragmented frame")
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var x [2]byte
			if _, err := io.ReadFull(c.br, x[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(x[:]))
		case 127:
			var x [8]byte
			if _, err := io.ReadFull(c.br, x[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(x[:])
		}
		if n > 1<<16 {
			return nil, fmt.Errorf("frame of %d bytes", n)
		}
		if uint64(cap(c.buf)) < n {
			c.buf = make([]byte, n)
		}
		p := c.buf[:n]
		if _, err := io.ReadFull(c.br, p); err != nil {
			return nil, err
		}
		switch op {
		case 0x1:
			return p, nil
		case 0x8:
			return nil, errClosed
		case 0x9:
			if err := c.control(0xA, p); err != nil {
				return nil, err
			}
		}
	}
}

// control sends a masked control frame (clients must mask).
func (c *wsClient) control(op byte, p []byte) error {
	if len(p) > 125 {
		return errors.New("control payload too long")
	}
	f := make([]byte, 6+len(p))
	f[0], f[1] = 0x80|op, 0x80|byte(len(p))
	_, _ = rand.Read(f[2:6])
	for i, b := range p {
		f[6+i] = b ^ f[2+i%4]
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.conn.Write(f)
	return err
}

func (c *wsClient) Close() error {
	_ = c.control(0x8, []byte{0x03, 0xe8})
	return c.conn.Close()
}
