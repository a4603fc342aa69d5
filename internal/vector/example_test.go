package vector_test

import (
	"bytes"
	"fmt"
	"math"

	"github.com/zero711/brain/internal/vector"
)

// unit returns the 2-dimensional unit vector at angle a.
func unit(a float64) []float32 {
	return []float32{float32(math.Cos(a)), float32(math.Sin(a))}
}

func Example() {
	x := vector.New(2, vector.Options{})
	_ = x.AddBatch([]uint64{10, 20, 30, 40}, [][]float32{unit(0), unit(0.5), unit(1), unit(3)})
	x.Delete(20)

	hits, _ := x.Search(unit(0.4), 2, nil)
	for _, h := range hits {
		fmt.Printf("%d %.3f\n", h.ID, h.Score)
	}
	// Only ids above 25.
	hits, _ = x.Search(unit(0.4), 1, func(id uint64) bool { return id > 25 })
	fmt.Println(hits[0].ID)

	// Save with the table version it reflects; check it before loading.
	_ = x.SetStamp(vector.Stamp{TableVersion: 7, Model: "demo"})
	var file bytes.Buffer
	_, _ = x.WriteTo(&file)
	info, _ := vector.ReadInfo(bytes.NewReader(file.Bytes()))
	fmt.Println(info.Stamp.TableVersion, info.Len)
	y, _ := vector.Load(&file, vector.Options{})
	fmt.Println(y.Len())
	// Output:
	// 10 0.921
	// 30 0.825
	// 30
	// 7 3
	// 3
}
