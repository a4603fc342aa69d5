package chat_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/chat"
	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
	"github.com/zero711/brain/internal/store"
	"github.com/zero711/brain/internal/store/sqlite"
	"github.com/zero711/brain/internal/store/storetest"
)

type env struct {
	svc   *chat.Service
	store store.Store
	lake  *lakehouse.Lakehouse
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := pathstest.Dir(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, id := range []string{"acme", "beta"} {
		c, u := storetest.NewCustomer(id)
		if err := st.CreateCustomer(context.Background(), c, u); err != nil {
			t.Fatal(err)
		}
	}
	cp, _ := paths.New(paths.Development, dir)
	em, _ := embed.NewBuiltin(embed.BuiltinConfig{})
	lake := lakehouse.New(lakehouse.NewDiskStorage(cp), em, lakehouse.Options{})
	t.Cleanup(func() { lake.Close() })
	docs := map[string][]lakehouse.NewDocument{
		"acme": {
			{Document: lakehouse.Document{ID: "kst", Title: "Merkblatt Körperschaftsteuer", Domain: "CTAX"},
				Chunks: []lakehouse.Chunk{{Text: "Der Körperschaftsteuersatz beträgt 15 Prozent des zu versteuernden Einkommens. Hinzu kommt der Solidaritätszuschlag.", Section: "Steuersätze", Page: 2}}},
			{Document: lakehouse.Document{ID: "kst-alt", Title: "Altes Merkblatt Körperschaftsteuer", Domain: "CTAX"},
				Chunks: []lakehouse.Chunk{{Text: "Der Körperschaftsteuersatz beträgt 25 Prozent (Rechtslage bis 2007).", Section: "Steuersätze"}}},
			{Document: lakehouse.Document{ID: "miete", Title: "Mietvertrag Büro", Domain: "LAW"},
				Chunks: []lakehouse.Chunk{{Text: "Die Kündigungsfrist beträgt sechs Monate zum Quartalsende.", Section: "§ 4 Kündigung"}}},
			{Document: lakehouse.Document{ID: "pump", Title: "Datasheet pump X200", Domain: "ETIM"},
				Chunks: []lakehouse.Chunk{{Text: "The pump X200 delivers 40 litres per minute at 230 V.", Section: "Technical data"}}},
		},
		"beta": {
			{Document: lakehouse.Document{ID: "beta-secret", Title: "Geheimes Bravo-Papier"},
				Chunks: []lakehouse.Chunk{{Text: "Der Körperschaftsteuersatz der Bravo beträgt geheime 99 Prozent."}}},
		},
	}
	for cust, nds := range docs {
		if _, err := lake.AddDocuments(context.Background(), cust, nds); err != nil {
			t.Fatal(err)
		}
	}
	return &env{svc: chat.New(lake, st, chat.Options{}), store: st, lake: lake}
}

func TestAskCitesTheRightDocuments(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, tt := range []struct {
		q, doc, lang, phrase string
	}{
		{"Wie hoch ist der Körperschaftsteuersatz?", "kst", "de", "15 Prozent"},
		{"Welche Kündigungsfrist gilt für das Büro?", "miete", "de", "sechs Monate"},
		{"How many litres per minute does the pump X200 deliver?", "pump", "en", "40 litres"},
	} {
		res, err := e.svc.Ask(ctx, chat.Request{CustomerID: "acme", UserID: "u1", Message: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Mode != "extractive" || len(res.Sources) == 0 || !strings.Contains(res.Answer, tt.phrase) || res.Language != tt.lang {
			t.Errorf("%q: %+v", tt.q, res)
			continue
		}
		found := false
		for _, s := range res.Sources {
			found = found || s.DocumentID == tt.doc
			if s.DocumentID == "beta-secret" {
				t.Errorf("another customer's document cited: %+v", s)
			}
		}
		if !found {
			t.Errorf("%q: sources %+v lack %s", tt.q, res.Sources, tt.doc)
		}
		if !strings.Contains(strings.ToLower(res.Answer), "extra") {
			t.Errorf("%q: the answer does not say it is extractive: %s", tt.q, res.Answer)
		}
	}
}

func TestConversationAndFollowUp(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	first, err := e.svc.Ask(ctx, chat.Request{CustomerID: "acme", UserID: "u1", Message: "Welche Kündigungsfrist gilt im Mietvertrag für das Büro?"})
	if err != nil {
		t.Fatal(err)
	}
	// A short follow-up keeps the topic from the previous question.
	next, err := e.svc.Ask(ctx, chat.Request{CustomerID: "acme", UserID: "u1", ConversationID: first.ConversationID, Message: "Und zu welchem Termin?"})
	if err != nil {
		t.Fatal(err)
	}
	if next.ConversationID != first.ConversationID || len(next.Sources) == 0 || next.Sources[0].DocumentID != "miete" {
		t.Fatalf("follow-up: %+v", next)
	}
	msgs, _ := e.store.Messages(ctx, "acme", first.ConversationID)
	if len(msgs) != 4 || msgs[3].ID != next.MessageID || msgs[3].Mode != "extractive" || len(msgs[3].Sources) == 0 {
		t.Fatalf("conversation log: %d messages", len(msgs))
	}
	// Another customer's conversation id is not found.
	if _, err := e.svc.Ask(ctx, chat.Request{CustomerID: "beta", ConversationID: first.ConversationID, Message: "Hallo"}); brain.ErrorCode(err) != brain.ENOTFOUND {
		t.Fatalf("beta continues acme's conversation: %v", err)
	}
	if _, err := e.svc.Ask(ctx, chat.Request{CustomerID: "acme", Message: "   "}); brain.ErrorCode(err) != brain.EINVALID {
		t.Fatalf("empty question: %v", err)
	}
}

// TestFeedbackChangesRankingForThatCustomerOnly: thumbs move a chunk for
// the customer who gave them, at once, and a correction is reused for the
// same question; the other customer's answers do not change.
func TestFeedbackChangesRankingForThatCustomerOnly(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	q := "Wie hoch ist der Körperschaftsteuersatz?"
	before, err := e.svc.Ask(ctx, chat.Request{CustomerID: "acme", UserID: "u1", Message: q})
	if err != nil {
		t.Fatal(err)
	}
	betaBefore, _ := e.svc.Ask(ctx, chat.Request{CustomerID: "beta", UserID: "b1", Message: q})
	// Users mark answers that lead with the outdated sheet down, and
	// those leading with the current one up.
	for _, u := range []string{"u1", "u2", "u3", "u4"} {
		res, _ := e.svc.Ask(ctx, chat.Request{CustomerID: "acme", UserID: u, Message: q})
		rating := 1
		if res.Sources[0].DocumentID == "kst-alt" {
			rating = -1
		}
		if err := e.svc.Feedback(ctx, "acme", u, res.MessageID, rating, ""); err != nil {
			t.Fatal(err)
		}
	}
	hits, _ := e.lake.Search(ctx, "acme", lakehouse.SearchRequest{Query: q, K: 5})
	after, _ := e.svc.Ask(ctx, chat.Request{CustomerID: "acme", UserID: "u9", Message: q})
	if after.Sources[0].DocumentID != "kst" {
		t.Fatalf("after feedback the first source is %s (search alone: %s; before: %s)", after.Sources[0].DocumentID, hits[0].DocumentID, before.Sources[0].DocumentID)
	}
	// A correction is reused for the same question, marked as such.
	if err := e.svc.Feedback(ctx, "acme", "u1", after.MessageID, -1, "15 % zuzüglich 5,5 % Solidaritätszuschlag."); err != nil {
		t.Fatal(err)
	}
	again, _ := e.svc.Ask(ctx, chat.Request{CustomerID: "acme", UserID: "u5", Message: "Wie hoch ist der Körperschaftsteuersatz"})
	if !again.Reused || !strings.Contains(again.Answer, "5,5 %") {
		t.Fatalf("correction not reused: %+v", again)
	}
	// Beta's answers are untouched by acme's feedback.
	betaAfter, _ := e.svc.Ask(ctx, chat.Request{CustomerID: "beta", UserID: "b1", Message: q})
	if betaAfter.Reused || betaAfter.Answer != betaBefore.Answer {
		t.Fatalf("acme's feedback changed beta's answer:\n%s\n%s", betaBefore.Answer, betaAfter.Answer)
	}
	// Feedback on another customer's answer or on a question is refused.
	if err := e.svc.Feedback(ctx, "beta", "b1", after.MessageID, 1, ""); brain.ErrorCode(err) != brain.ENOTFOUND {
		t.Fatalf("beta rated acme's answer: %v", err)
	}
	if err := e.svc.Feedback(ctx, "acme", "u1", after.MessageID, 5, ""); brain.ErrorCode(err) != brain.EINVALID {
		t.Fatalf("rating 5: %v", err)
	}
}
