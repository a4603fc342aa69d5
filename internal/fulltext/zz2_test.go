package fulltext

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
)

func BenchmarkZZSlow(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("ZZN"))
	bi := benchIndex(b, n)
	qs := benchGen(b).queries(4000)
	runtime.LockOSThread()
	type r struct {
		q string
		t int64
	}
	var rs []r
	var filt func(uint64) bool
	if os.Getenv("ZZF") != "" {
		filt = func(id uint64) bool { return id%10 == 3 }
	}
	for _, q := range qs {
		c := threadCPU()
		bi.x.Search(q, 10, filt)
		rs = append(rs, r{q, threadCPU() - c})
	}
	slices.SortFunc(rs, func(a, b r) int { return int(b.t - a.t) })
	for _, e := range rs[:15] {
		s := fmt.Sprintf("%.2fms %q:", float64(e.t)/1e6, e.q)
		for _, t := range analyzeQuery(e.q) {
			if id, ok := bi.x.terms[t.text]; ok {
				s += fmt.Sprintf(" %s(%d,%.1f)", t.text, bi.x.lists[id].df(), t.weight)
			}
		}
		fmt.Println(s)
	}
}
