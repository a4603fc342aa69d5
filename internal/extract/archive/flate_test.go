package archive

import (
	"compress/flate"
	"io"
)

func newFlate(w io.Writer) (*flate.Writer, error) { return flate.NewWriter(w, flate.BestSpeed) }
