package reportcard

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkReportCard renders one card per op on all cores, each with its own student name
// so the per-student text is shaped anew as in a real batch.
func BenchmarkReportCard(b *testing.B) {
	for _, lang := range []Language{English, Urdu} {
		b.Run(string(lang), func(b *testing.B) {
			r, err := New()
			if err != nil {
				b.Fatal(err)
			}
			card := sampleCard(b, lang)
			var n atomic.Int64
			var size atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				var buf bytes.Buffer
				for pb.Next() {
					c := card
					c.Student.Name = fmt.Sprintf("%s %d", card.Student.Name, n.Add(1))
					buf.Reset()
					if err := r.ReportCard(&buf, c, lang); err != nil {
						b.Error(err)
						return
					}
					size.Store(int64(buf.Len()))
				}
			})
			b.ReportMetric(float64(size.Load()), "pdf-bytes")
		})
	}
}

// BenchmarkThousandCards is the budget: 1,000 report cards (half English, half Urdu,
// every one a different student) on all cores, in at most 60 s.
func BenchmarkThousandCards(b *testing.B) {
	r, err := New()
	if err != nil {
		b.Fatal(err)
	}
	cards := map[Language]ReportCard{English: sampleCard(b, English), Urdu: sampleCard(b, Urdu)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		jobs := make(chan int)
		var wg sync.WaitGroup
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range jobs {
					lang := []Language{English, Urdu}[j%2]
					c := cards[lang]
					c.Student.Name = fmt.Sprintf("%s %d-%d", c.Student.Name, i, j)
					c.Student.RollNo = fmt.Sprint(j)
					if err := r.ReportCard(io.Discard, c, lang); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		for j := 0; j < 1000; j++ {
			jobs <- j
		}
		close(jobs)
		wg.Wait()
		b.ReportMetric(time.Since(start).Seconds(), "s/1000cards")
	}
}
