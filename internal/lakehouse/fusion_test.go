package lakehouse

import "testing"

func TestFuse(t *testing.T) {
	t.Parallel()
	bm := []ranked{{1, 9}, {2, 8}, {3, 7}}
	vec := []ranked{{3, .9}, {4, .8}, {1, .7}}
	got := fuse(bm, vec, 1, 1)
	want := []uint64{1, 3, 2, 4}
	if len(got) != len(want) {
		t.Fatalf("got %d hits", len(got))
	}
	for i, id := range want {
		if got[i].id != id {
			t.Fatalf("rank %d = %d, want %d (%+v)", i, got[i].id, id, got)
		}
	}
	if got[0].bm25Rank != 1 || got[0].vecRank != 3 || got[3].bm25Rank != 0 {
		t.Fatalf("ranks %+v", got)
	}
	if len(fuse(nil, nil, 1, 1)) != 0 {
		t.Fatal("empty inputs")
	}
}
