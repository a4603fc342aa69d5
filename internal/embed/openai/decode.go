package openai

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"

	"github.com/zero711/brain/internal/embed"
)

// response is the body of a successful POST /v1/embeddings.
type response struct {
	Data []struct {
		Index     *int            `json:"index"`
		Embedding json.RawMessage `json:"embedding"`
	} `json:"data"`
}

// decode parses a response to n inputs, puts the vectors in input order by
// their index, checks their dimension and scales them to unit length.
func (c *Client) decode(raw []byte, n int) ([][]float32, error) {
	if len(raw) > n*maxResponsePerInput {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrResponse, n*maxResponsePerInput)
	}
	var resp response
	if err := json.Unmarshal(raw, &resp); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrResponse, err)
	}
	if len(resp.Data) != n {
		return nil, fmt.Errorf("%w: %d embeddings for %d inputs", ErrResponse, len(resp.Data), n)
	}
	out := make([][]float32, n)
	for pos, d := range resp.Data {
		i := pos // a server that sends no index sends them in order
		if d.Index != nil {
			i = *d.Index
		}
		if i < 0 || i >= n || out[i] != nil {
			return nil, fmt.Errorf("%w: index %d out of range or repeated", ErrResponse, i)
		}
		v, err := decodeVector(d.Embedding)
		if err != nil {
			return nil, fmt.Errorf("%w: embedding %d: %v", ErrResponse, i, err)
		}
		if err := c.checkDim(len(v)); err != nil {
			return nil, err
		}
		embed.Normalize(v)
		out[i] = v
	}
	return out, nil
}

// decodeVector reads a JSON array of numbers or a base64 string of
// little-endian float32s.
func decodeVector(raw json.RawMessage) ([]float32, error) {
	var v []float32
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("base64: %w", err)
		}
		if len(b)%4 != 0 {
			return nil, fmt.Errorf("base64 holds %d bytes, not a multiple of 4", len(b))
		}
		v = make([]float32, len(b)/4)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
	} else if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	if len(v) == 0 {
		return nil, fmt.Errorf("empty vector")
	}
	for _, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, fmt.Errorf("holds %v", x)
		}
	}
	return v, nil
}

// checkDim learns the dimension from the first vector and holds every
// later one to it.
func (c *Client) checkDim(n int) error {
	c.dim.CompareAndSwap(0, int64(n))
	if want := c.dim.Load(); int64(n) != want {
		return fmt.Errorf("%w: got %d, want %d (model %s)", ErrDimension, n, want, c.cfg.Model)
	}
	return nil
}
