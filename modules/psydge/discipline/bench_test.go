package discipline

import (
	"testing"
	"time"
)

func BenchmarkCheckAllowed(b *testing.B) {
	cfg, req := Defaults(), okRequest()
	s := NewState(t0)
	for i := range 8 {
		sig := goSignal("other", t0)
		sig.ID, sig.Symbol = sig.ID+string(rune('a'+i)), universe[i+1]
		_ = s.AddSignal(sig, t0)
	}
	_ = s.AddSignal(goSignal("sig-1", t0.Add(-5*time.Minute)), t0)
	s.Open = []OpenTrade{{ClientID: "x", Direction: Buy, Entry: 100, InitialStop: 90, Stop: 95}}
	b.ReportAllocs()
	for b.Loop() {
		d := engine.Check(&s, &cfg, &req, t0)
		if !d.Allowed {
			b.Fatal(d.Failed())
		}
	}
}

func BenchmarkCheckRefused(b *testing.B) {
	cfg, req := Defaults(), okRequest()
	s := NewState(t0)
	s.RealisedMilliR = -2000
	req.Lots = 1000
	b.ReportAllocs()
	for b.Loop() {
		d := engine.Check(&s, &cfg, &req, t0)
		if d.Allowed {
			b.Fatal("allowed")
		}
	}
}
