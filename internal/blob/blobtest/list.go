package blobtest

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/blob"
)

func testList(t *testing.T, s blob.Store) {
	all := []string{
		"_delta_log/00000000000000000000.json",
		"_delta_log/00000000000000000001.json",
		"_delta_log/00000000000000000010.checkpoint.parquet",
		"_delta_log/_last_checkpoint",
		"dir/sub/deep.txt",
		"dira.txt",
		"letter=%2F%2520/part-0.parquet",
		"letter=a/part-0.parquet",
		"letter=a/part-1.parquet",
		"part-0.parquet",
	}
	for i, name := range slices.Backward(all) { // written out of order
		put(t, s, name, bytes.Repeat([]byte("x"), i+1))
	}
	objs, err := s.List(t.Context(), "")
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	for i, o := range objs {
		if i < len(all) && (o.Name != all[i] || o.Size != int64(i+1) || o.ModTime.IsZero()) {
			t.Errorf("List()[%d] = %+v, want %s of %d bytes with a ModTime", i, o, all[i], i+1)
		}
	}
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"", all},
		{"_delta_log/", all[:4]},
		{"_delta_log/0000", all[:3]},
		{"_delta_log/00000000000000000001", all[1:2]},
		{"_delta_log", all[:4]},
		{"dir", all[4:6]},
		{"dir/", all[4:5]},
		{"dir/sub/deep.txt", all[4:5]},
		{"letter=", all[6:9]},
		{"letter=%2F", all[6:7]},
		{"letter=%2F%2520/", all[6:7]},
		{"letter=a/", all[7:9]},
		{"part", all[9:]},
		{"nope", []string{}},
		{"nope/", []string{}},
		{"_delta_log/1", []string{}},
	} {
		wantNames(t, "List("+tc.prefix+")", names(t, s, tc.prefix), tc.want)
	}
}

// testNames writes names that need escaping in URLs and the names of
// Delta partition directories, which hold escapes themselves.
func testNames(t *testing.T, s blob.Store) {
	odd := []string{
		"with space/file name.txt",
		"ünïcödé/日本語.json",
		"emoji 🦫.txt",
		"percent%20literal%2F.bin",
		"letter=%2F%2520/part-0.parquet",
		"date=2026-11-26/hour=10/part-0.parquet",
		"a+b=c&d.txt",
		"question?mark.txt",
		"hash#tag.txt",
		"semi;colon:and,comma.txt",
		"quote'and\"double.txt",
		"tilde~star*brackets[1](2){3}.txt",
		"dots...in.name",
		".hidden",
	}
	for _, name := range odd {
		put(t, s, name, []byte(name))
	}
	for _, name := range odd {
		wantContent(t, s, name, []byte(name))
		if o, err := s.Stat(t.Context(), name); err != nil || o.Name != name || o.Size != int64(len(name)) {
			t.Errorf("Stat(%q) = %+v, %v", name, o, err)
		}
	}
	sorted := slices.Sorted(slices.Values(odd))
	wantNames(t, `List("")`, names(t, s, ""), sorted)
	wantNames(t, `List("letter=%2F%25")`, names(t, s, "letter=%2F%25"), []string{"letter=%2F%2520/part-0.parquet"})
	wantNames(t, `List("ünïcödé/")`, names(t, s, "ünïcödé/"), []string{"ünïcödé/日本語.json"})
	for _, name := range odd {
		if err := s.Delete(t.Context(), name); err != nil {
			t.Errorf("Delete(%q): %v", name, err)
		}
	}
	wantNames(t, `List("") after Delete`, names(t, s, ""), []string{})
}

func testInvalidNames(t *testing.T, s blob.Store) {
	put(t, s, "ok/name", []byte("x"))
	ctx := t.Context()
	for _, name := range []string{
		"", "/abs", "/", "..", ".", "../up", "a/../b", "a/..", "./a", "a/./b",
		"a//b", "a/", "back\\slash", "nul\x00", "tab\tname", "new\nline", "del\x7f",
		"ok/name/", strings.Repeat("x", 1025),
	} {
		_, err := s.Stat(ctx, name)
		wantErr(t, "Stat("+name+")", err, blob.ErrInvalidName)
		r, err := s.Open(ctx, name)
		if err == nil {
			r.Close()
		}
		wantErr(t, "Open("+name+")", err, blob.ErrInvalidName)
		err = s.Put(ctx, name, bytes.NewReader([]byte("y")), 1)
		wantErr(t, "Put("+name+")", err, blob.ErrInvalidName)
		err = s.PutIfAbsent(ctx, name, bytes.NewReader([]byte("y")), 1)
		wantErr(t, "PutIfAbsent("+name+")", err, blob.ErrInvalidName)
		err = s.Delete(ctx, name)
		wantErr(t, "Delete("+name+")", err, blob.ErrInvalidName)
	}
	wantNames(t, `List("")`, names(t, s, ""), []string{"ok/name"})
	wantContent(t, s, "ok/name", []byte("x"))
}
