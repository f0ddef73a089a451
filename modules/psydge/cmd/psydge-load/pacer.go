package main

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// pacer sleeps with the kernel's high-resolution timer on a thread of its own.
type pacer struct{}

// newPacer locks the calling goroutine to its thread and sets the thread's timer slack to
// 1 ns (the default of 50 µs would be added to every wake-up).
func newPacer() pacer {
	runtime.LockOSThread()
	_ = unix.Prctl(unix.PR_SET_TIMERSLACK, 1, 0, 0, 0)
	return pacer{}
}

func (pacer) sleepUntil(at time.Time) {
	for {
		d := time.Until(at)
		if d <= 0 {
			return
		}
		ts := unix.NsecToTimespec(int64(d))
		if err := unix.Nanosleep(&ts, nil); err == nil {
			return
		}
	}
}
