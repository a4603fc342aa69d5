package openai

import (
	"math"
	"net/http"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary response bodies to the decoder and the error
// parser: no panic, and a decoded response holds one finite vector of one
// length per input.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"data":[{"index":1,"embedding":[0,1]},{"index":0,"embedding":"AACAPwAAAAA="}]}`,
		`{"data":[{"embedding":[1e-45,3.4e38]},{"embedding":[-1,0]}]}`,
		`{"error":{"message":"x","code":1}}`, `{"detail":[1,{"a":null}]}`, `{"error":"x"}`, `[]`, `null`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		c := &Client{cfg: Config{Model: "m"}}
		vs, err := c.decode([]byte(body), 2)
		if err == nil {
			if len(vs) != 2 || len(vs[0]) != len(vs[1]) || len(vs[0]) != c.Dim() {
				t.Fatalf("decoded %d vectors of lengths %d, %d; Dim() %d", len(vs), len(vs[0]), len(vs[1]), c.Dim())
			}
			for _, v := range vs {
				for _, x := range v {
					if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) || math.Abs(float64(x)) > 1+1e-6 {
						t.Fatalf("component %v", x)
					}
				}
			}
		}
		e := parseError(&http.Response{StatusCode: 500, Header: http.Header{}, Body: nopCloser{strings.NewReader(body)}})
		if e.Message == "" {
			t.Fatal("empty error message")
		}
	})
}
