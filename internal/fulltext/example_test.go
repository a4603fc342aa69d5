package fulltext_test

import (
	"bytes"
	"fmt"

	"github.com/zero711/brain/internal/fulltext"
)

func Example() {
	x := fulltext.New(fulltext.Options{})
	x.Add(1, "Die Körperschaftsteuer beträgt 15 Prozent (§ 23 KStG).", "de")
	x.Add(2, "The contracts were terminated in writing.", "en")
	x.Add(3, "Der Vertrag wurde schriftlich gekündigt.", "") // language guessed

	for _, q := range []string{"Körperschaftsteuer § 23", "Verträge", "contract", "Kündigung Vertrag"} {
		fmt.Println(q, "→", ids(x.Search(q, 3, nil)))
	}

	// Persist with the table version the index reflects, and load it back.
	x.SetStamp(fulltext.Stamp{TableVersion: 17})
	var file bytes.Buffer
	if _, err := x.WriteTo(&file); err != nil {
		panic(err)
	}
	y := fulltext.New(fulltext.Options{})
	if _, err := y.ReadFrom(&file); err != nil {
		panic(err)
	}
	fmt.Println(y.Len(), "documents at table version", y.Stamp().TableVersion)
	// Output:
	// Körperschaftsteuer § 23 → [1]
	// Verträge → [3]
	// contract → [2]
	// Kündigung Vertrag → [3]
	// 3 documents at table version 17
}

// ids returns the ids of hits.
func ids(hits []fulltext.Hit) []uint64 {
	out := make([]uint64, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}
