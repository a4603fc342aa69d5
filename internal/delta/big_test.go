package delta

import (
	"context"
	"os"
	"testing"
)

func TestBig(t *testing.T) {
	data, err := os.ReadFile("/tmp/big.bin")
	if err != nil {
		t.Skip()
	}
	_, err = parseCheckpointParquet(context.Background(), data)
	t.Log(err)
}
