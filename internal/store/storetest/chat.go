package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/store"
)

func newConversation(t *testing.T, s store.Store, customerID, userID string, at time.Time) *brain.Conversation {
	t.Helper()
	c := &brain.Conversation{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customerID, UserID: userID, Title: "Frage", CreatedAt: at}
	if err := s.CreateConversation(context.Background(), c); err != nil {
		t.Fatalf("CreateConversation: %v", err)
	}
	return c
}

func addMessage(t *testing.T, s store.Store, c *brain.Conversation, role, text string, at time.Time) *brain.ChatMessage {
	t.Helper()
	m := &brain.ChatMessage{ID: uuid.Must(uuid.NewV7()).String(), ConversationID: c.ID, CustomerID: c.CustomerID, Role: role,
		Content: text, CreatedAt: at}
	if role == brain.RoleAssistantMessage {
		m.Mode, m.Model, m.Expert, m.LatencyMS, m.PromptTokens, m.CompletionTokens = "extractive", "builtin", "CTAX", 12, 100, 20
		m.Sources = []brain.ChatSource{{N: 1, DocumentID: "doc-1", Title: "Bescheid", ChunkID: "doc-1:0", Section: "§ 8", Page: 2, Score: 0.5}}
	}
	if err := s.AddMessage(context.Background(), m); err != nil {
		t.Fatalf("AddMessage: %v", err)
	}
	return m
}

func testChatConversations(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCustomer(t, s, "acme")
	c1 := newConversation(t, s, "acme", "u1", epoch)
	c2 := newConversation(t, s, "acme", "u1", epoch.Add(time.Second))
	c3 := newConversation(t, s, "acme", "u2", epoch.Add(2*time.Second))
	q := addMessage(t, s, c1, brain.RoleUserMessage, "Wie hoch ist die Körperschaftsteuer?", epoch.Add(time.Minute))
	a := addMessage(t, s, c1, brain.RoleAssistantMessage, "15 % [1]", epoch.Add(time.Minute+time.Second))
	msgs, err := s.Messages(ctx, "acme", c1.ID)
	if err != nil || len(msgs) != 2 || msgs[0].ID != q.ID || msgs[1].ID != a.ID {
		t.Fatalf("messages = %+v, %v", msgs, err)
	}
	if m := msgs[1]; m.Mode != "extractive" || len(m.Sources) != 1 || m.Sources[0].Page != 2 || m.PromptTokens != 100 || !m.CreatedAt.Equal(a.CreatedAt) {
		t.Fatalf("assistant message = %+v", m)
	}
	got, err := s.Conversation(ctx, "acme", c1.ID)
	if err != nil || got.Messages != 2 || !got.UpdatedAt.Equal(a.CreatedAt) {
		t.Fatalf("conversation = %+v, %v", got, err)
	}
	// Most recently active first; by user; paging.
	list, err := s.ListConversations(ctx, "acme", "u1", store.Page{})
	if err != nil || len(list) != 2 || list[0].ID != c1.ID || list[1].ID != c2.ID {
		t.Fatalf("u1's conversations = %+v, %v", list, err)
	}
	all, _ := s.ListConversations(ctx, "acme", "", store.Page{Limit: 2})
	if len(all) != 2 || all[0].ID != c1.ID || all[1].ID != c3.ID {
		t.Fatalf("first page = %v", ids2(all))
	}
	next, _ := s.ListConversations(ctx, "acme", "", store.Page{Limit: 2, After: all[1].ID})
	if len(next) != 1 || next[0].ID != c2.ID {
		t.Fatalf("second page = %v", ids2(next))
	}
	// Usage metering: the assistant's answers in the period.
	u, err := s.ChatUsage(ctx, "acme", epoch, epoch.Add(time.Hour))
	if err != nil || u.Queries != 1 || u.PromptTokens != 100 || u.CompletionTokens != 20 || u.LLMQueries != 0 {
		t.Fatalf("usage = %+v, %v", u, err)
	}
	if u, _ := s.ChatUsage(ctx, "acme", epoch.Add(time.Hour), epoch.Add(2*time.Hour)); u.Queries != 0 {
		t.Fatalf("usage outside the period = %+v", u)
	}
	// Feedback: one per user and message, replaced.
	for _, r := range []int{1, -1} {
		if err := s.SetFeedback(ctx, &brain.Feedback{MessageID: a.ID, CustomerID: "acme", UserID: "u1", Rating: r,
			Correction: fmt.Sprint("Korrektur ", r), CreatedAt: epoch}); err != nil {
			t.Fatal(err)
		}
	}
	fb, err := s.ListFeedback(ctx, "acme", store.Page{})
	if err != nil || len(fb) != 1 || fb[0].Rating != -1 || fb[0].Correction != "Korrektur -1" {
		t.Fatalf("feedback = %+v, %v", fb, err)
	}
	if err := s.DeleteConversation(ctx, "acme", c1.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.Conversation(ctx, "acme", c1.ID)
	wantCode(t, err, brain.ENOTFOUND)
	_, err = s.Message(ctx, "acme", a.ID)
	wantCode(t, err, brain.ENOTFOUND)
	if fb, _ := s.ListFeedback(ctx, "acme", store.Page{}); len(fb) != 0 {
		t.Fatalf("feedback survived its conversation: %+v", fb)
	}
	wantCode(t, s.DeleteConversation(ctx, "acme", c1.ID), brain.ENOTFOUND)
}

func testChatScopedByCustomer(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCustomer(t, s, "acme")
	mustCustomer(t, s, "beta")
	cb := newConversation(t, s, "beta", "u9", epoch)
	mb := addMessage(t, s, cb, brain.RoleAssistantMessage, "geheim", epoch)
	_, err := s.Conversation(ctx, "acme", cb.ID)
	wantCode(t, err, brain.ENOTFOUND)
	_, err = s.Message(ctx, "acme", mb.ID)
	wantCode(t, err, brain.ENOTFOUND)
	if msgs, err := s.Messages(ctx, "acme", cb.ID); err != nil || len(msgs) != 0 {
		t.Fatalf("acme reads beta's messages: %v, %v", msgs, err)
	}
	if list, _ := s.ListConversations(ctx, "acme", "", store.Page{}); len(list) != 0 {
		t.Fatalf("acme lists beta's conversations: %v", ids2(list))
	}
	foreign := &brain.ChatMessage{ID: "m-x", ConversationID: cb.ID, CustomerID: "acme", Role: "user", Content: "x", CreatedAt: epoch}
	wantCode(t, s.AddMessage(ctx, foreign), brain.ENOTFOUND)
	wantCode(t, s.SetFeedback(ctx, &brain.Feedback{MessageID: mb.ID, CustomerID: "acme", UserID: "u1", Rating: 1, CreatedAt: epoch}), brain.ENOTFOUND)
	wantCode(t, s.DeleteConversation(ctx, "acme", cb.ID), brain.ENOTFOUND)
	if _, err := s.Conversation(ctx, "beta", cb.ID); err != nil {
		t.Fatalf("beta's conversation is gone: %v", err)
	}
}

func ids2(cs []*brain.Conversation) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}
