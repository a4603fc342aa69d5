package archive

import (
	"context"
	"fmt"

	"github.com/zero711/brain/internal/document"
)

// sevenZipExtractor recognises 7z archives so that they fail with a
// clear reason instead of "unknown format".
type sevenZipExtractor struct{}

var _ document.Extractor = sevenZipExtractor{}

func (sevenZipExtractor) Name() string    { return "7z" }
func (sevenZipExtractor) Types() []string { return []string{"application/x-7z-compressed"} }

// Extract always returns ErrUnsupported: there is no 7z reader in the
// standard library and none was chosen; ask for ZIP or TAR instead.
func (sevenZipExtractor) Extract(context.Context, document.Input) (*document.Document, error) {
	return nil, fmt.Errorf("%w: 7z archives are not supported yet; please upload a ZIP or TAR archive instead", document.ErrUnsupported)
}
