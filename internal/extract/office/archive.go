package office

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/richardlehane/mscfb"
	"golang.org/x/net/html/charset"

	"github.com/zero711/brain/internal/document"
)

// maxPartBytes bounds the decompressed size of any one part.
const maxPartBytes = 256 << 20

// cfbMagic starts an OLE compound file, the container Office uses for
// password-protected OOXML files.
var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// archive is an open zip container whose parts are read within a
// budget of decompressed bytes.
type archive struct {
	zr      *zip.ReadCloser
	files   map[string]*zip.File // by lower-case name
	partMax int64
	budget  int64 // decompressed bytes left for all parts together
}

// openArchive opens in.Path as a zip container. It returns ErrEncrypted
// for an encrypted OOXML compound file, ErrUnsupported for another
// compound file, ErrCorrupt for anything that is not a readable zip.
func openArchive(in document.Input) (*archive, error) {
	if err := checkCompound(in.Path); err != nil {
		return nil, err
	}
	zr, err := zip.OpenReader(in.Path)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		if zr != nil {
			zr.Close()
		}
		return nil, fmt.Errorf("%w: zip: %v", document.ErrCorrupt, err)
	}
	limit := in.Limits.MaxExpandedBytes
	if limit <= 0 {
		limit = document.DefaultLimits.MaxExpandedBytes
	}
	a := &archive{zr: zr, files: make(map[string]*zip.File, len(zr.File)), partMax: min(maxPartBytes, limit), budget: limit}
	for _, f := range zr.File {
		a.files[strings.ToLower(strings.TrimPrefix(f.Name, "/"))] = f
	}
	return a, nil
}

// checkCompound reports whether the file is an OLE compound file rather
// than a zip: an encrypted OOXML package or some other binary format.
func checkCompound(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	head := make([]byte, len(cfbMagic))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, cfbMagic) {
		return nil
	}
	r, err := mscfb.New(f)
	if err != nil {
		return fmt.Errorf("%w: compound file: %v", document.ErrCorrupt, err)
	}
	for e, err := r.Next(); err == nil; e, err = r.Next() {
		if e.Name == "EncryptedPackage" || e.Name == "EncryptionInfo" {
			return fmt.Errorf("%w: password-protected office document", document.ErrEncrypted)
		}
	}
	return fmt.Errorf("%w: OLE compound file, not a zip-based office document", document.ErrUnsupported)
}

func (a *archive) Close() error { return a.zr.Close() }

// has reports whether the part exists.
func (a *archive) has(name string) bool {
	_, ok := a.files[strings.ToLower(strings.TrimPrefix(name, "/"))]
	return ok
}

// open opens a part for reading. The reader fails with ErrTooLarge once
// the part or the whole archive exceeds its budget; it returns
// errMissing when there is no such part.
func (a *archive) open(name string) (io.ReadCloser, error) {
	f, ok := a.files[strings.ToLower(strings.TrimPrefix(name, "/"))]
	if !ok {
		return nil, fmt.Errorf("%w: %s", errMissing, name)
	}
	if f.UncompressedSize64 > uint64(a.partMax) || int64(f.UncompressedSize64) > a.budget {
		return nil, fmt.Errorf("%w: part %s expands to %d bytes", document.ErrTooLarge, name, f.UncompressedSize64)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: part %s: %v", document.ErrCorrupt, name, err)
	}
	return &boundedReader{rc: rc, a: a, name: name, left: a.partMax}, nil
}

// errMissing is returned by open for a part that is not in the archive.
var errMissing = errors.New("missing part")

// boundedReader counts decompressed bytes against the part's and the
// archive's budget, so that sizes declared in the zip directory need
// not be trusted.
type boundedReader struct {
	rc   io.ReadCloser
	a    *archive
	name string
	left int64
}

func (r *boundedReader) Read(p []byte) (int, error) {
	if r.left <= 0 || r.a.budget <= 0 {
		return 0, fmt.Errorf("%w: part %s expands beyond the limit", document.ErrTooLarge, r.name)
	}
	if int64(len(p)) > min(r.left, r.a.budget) {
		p = p[:min(r.left, r.a.budget)]
	}
	n, err := r.rc.Read(p)
	r.left -= int64(n)
	r.a.budget -= int64(n)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: part %s: %v", document.ErrCorrupt, r.name, err)
	}
	return n, err
}

func (r *boundedReader) Close() error { return r.rc.Close() }

// readSmall reads a whole part that is expected to be small (rels,
// manifests, properties), at most 16 MiB.
func (a *archive) readSmall(name string) ([]byte, error) {
	rc, err := a.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, 16<<20+1))
	if err != nil {
		return nil, err
	}
	if len(b) > 16<<20 {
		return nil, fmt.Errorf("%w: part %s is over 16 MiB", document.ErrTooLarge, name)
	}
	return b, nil
}

// newDecoder returns an XML decoder that accepts the encodings office
// suites write besides UTF-8.
func newDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.CharsetReader = charset.NewReaderLabel
	return d
}

// isLimitErr reports whether err must end extraction rather than being
// recorded as a warning: a budget that ran out.
func isLimitErr(err error) bool { return errors.Is(err, document.ErrTooLarge) }

// xmlErr classifies an error from parsing a part: budget errors stay
// ErrTooLarge, everything else is ErrCorrupt.
func xmlErr(part string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, document.ErrTooLarge) || errors.Is(err, document.ErrCorrupt) {
		return err
	}
	return fmt.Errorf("%w: %s: %v", document.ErrCorrupt, part, err)
}

// rel is one relationship of an OOXML part.
type rel struct {
	ID, Type, Target string
}

// rels reads the relationships of the part (the package for ""),
// resolving targets to part names. A missing rels part yields none.
func (a *archive) rels(part string) ([]rel, error) {
	dir, base := path.Split(part)
	b, err := a.readSmall(dir + "_rels/" + base + ".rels")
	if errors.Is(err, errMissing) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var doc struct {
		Rels []struct {
			ID         string `xml:"Id,attr"`
			Type       string `xml:"Type,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := newDecoder(bytes.NewReader(b)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: relationships of %q: %v", document.ErrCorrupt, part, err)
	}
	out := make([]rel, 0, len(doc.Rels))
	for _, r := range doc.Rels {
		if strings.EqualFold(r.TargetMode, "External") {
			continue
		}
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(dir, t)
		}
		out = append(out, rel{ID: r.ID, Type: r.Type, Target: t})
	}
	return out, nil
}

// relTarget returns the target of the first relationship whose type
// ends in "/"+kind (transitional and strict OOXML differ only in the
// prefix), or "".
func relTarget(rels []rel, kind string) string {
	for _, r := range rels {
		if strings.HasSuffix(r.Type, "/"+kind) {
			return r.Target
		}
	}
	return ""
}

// mainPart finds the package's main document part through the package
// relationships, falling back to the conventional name.
func (a *archive) mainPart(fallback string) (string, error) {
	rels, err := a.rels("")
	if err != nil {
		return "", err
	}
	if t := relTarget(rels, "officeDocument"); t != "" && a.has(t) {
		return t, nil
	}
	if a.has(fallback) {
		return fallback, nil
	}
	return "", fmt.Errorf("%w: no main document part (%s)", document.ErrCorrupt, fallback)
}
