package delta

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
)

func TestHunt(t *testing.T) {
	if os.Getenv("HUNT") == "" {
		t.Skip()
	}
	f := &testing.F{}
	_ = f
	s := newSetup(t, Options{CheckpointInterval: 2})
	s.create(t, allTypesSchema(), CreateOptions{PartitionColumns: []string{"pk"}})
	for i := range 2 {
		s.tbl.Append(s.ctx, []Row{allTypesRow(i)}, WriteOptions{AppID: "a", TxnVersion: int64(i)})
	}
	seed, _ := os.ReadFile(s.dir + "/_delta_log/00000000000000000002.checkpoint.parquet")
	r := rand.New(rand.NewPCG(1, 2))
	var ms runtime.MemStats
	for n := 0; n < 300000; n++ {
		data := bytes.Clone(seed)
		for k := 0; k < 1+r.IntN(4); k++ {
			i := r.IntN(len(data))
			switch r.IntN(3) {
			case 0:
				data[i] = byte(r.IntN(256))
			case 1:
				data[i] ^= 1 << r.IntN(8)
			case 2:
				data[i] = 0xff
			}
		}
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		parseCheckpointParquet(context.Background(), data)
		runtime.ReadMemStats(&ms)
		if d := ms.TotalAlloc - before; d > 100<<20 {
			os.WriteFile("/tmp/big.bin", data, 0o644)
			t.Fatalf("iteration %d allocated %d MB", n, d>>20)
		}
	}
}
