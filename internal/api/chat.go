package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/chat"
)

func (s *Server) chatService() (*chat.Service, error) {
	if s.opts.Chat == nil {
		return nil, brain.Errorf(brain.EUNAVAILABLE, "this node answers no questions")
	}
	return s.opts.Chat, nil
}

// ChatRequest is the body of POST /api/chat.
type ChatRequest struct {
	Message        string `json:"message"`
	ConversationID string `json:"conversation_id,omitempty"`
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.chatService()
	if err != nil {
		return err
	}
	var req ChatRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	p := principal(r)
	res, err := svc.Ask(r.Context(), chat.Request{CustomerID: p.CustomerID, UserID: p.Actor(), ConversationID: req.ConversationID,
		Message: req.Message})
	if err != nil {
		return err
	}
	noteAudit(r, "", "", res.MessageID, "")
	writeJSON(w, http.StatusOK, res)
	return nil
}

// ConversationList answers GET /api/chat/conversations.
type ConversationList struct {
	Conversations []*brain.Conversation `json:"conversations"`
}

// ConversationDetail is a conversation with its messages.
type ConversationDetail struct {
	*brain.Conversation
	Messages []*brain.ChatMessage `json:"messages"`
}

func (s *Server) listConversations(w http.ResponseWriter, r *http.Request) error {
	page, err := pageFrom(r)
	if err != nil {
		return err
	}
	p := principal(r)
	// Users see their own conversations; customer admins see everyone's.
	user := p.Actor()
	if p.Can(brain.PermUsersManage) && r.URL.Query().Get("all") == "true" {
		user = ""
	}
	list, err := s.store.ListConversations(r.Context(), p.CustomerID, user, page)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ConversationList{Conversations: nonNil(list)})
	return nil
}

// conversationOf returns a conversation the caller may see: its own, or
// any of the customer's for those who manage users.
func (s *Server) conversationOf(r *http.Request) (*brain.Conversation, error) {
	p := principal(r)
	c, err := s.store.Conversation(r.Context(), p.CustomerID, r.PathValue("conversation_id"))
	if err != nil {
		return nil, err
	}
	if c.UserID != p.Actor() && !p.Can(brain.PermUsersManage) {
		return nil, brain.Errorf(brain.ENOTFOUND, "conversation not found")
	}
	return c, nil
}

func (s *Server) getConversation(w http.ResponseWriter, r *http.Request) error {
	c, err := s.conversationOf(r)
	if err != nil {
		return err
	}
	msgs, err := s.store.Messages(r.Context(), c.CustomerID, c.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ConversationDetail{Conversation: c, Messages: nonNil(msgs)})
	return nil
}

func (s *Server) deleteConversation(w http.ResponseWriter, r *http.Request) error {
	c, err := s.conversationOf(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteConversation(r.Context(), c.CustomerID, c.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// FeedbackRequest is the body of POST /api/chat/{message_id}/feedback.
type FeedbackRequest struct {
	// Rating is 1 (thumbs up) or -1 (thumbs down).
	Rating int `json:"rating"`
	// Correction is the right answer, when the user gives one; it is
	// reused for near-identical questions.
	Correction string `json:"correction,omitempty"`
}

func (s *Server) chatFeedback(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.chatService()
	if err != nil {
		return err
	}
	var req FeedbackRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	p := principal(r)
	if err := svc.Feedback(r.Context(), p.CustomerID, p.Actor(), r.PathValue("message_id"), req.Rating, req.Correction); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, StatusResponse{Status: "recorded"})
	return nil
}

// chatStream answers like POST /api/chat, as server-sent events: "token"
// events with the text as it is written, then "done" with the whole
// result (sources included), or "error".
func (s *Server) chatStream(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.chatService()
	if err != nil {
		return err
	}
	var req ChatRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	p := principal(r)
	rc := http.NewResponseController(w)
	started := false
	start := func() {
		if !started {
			started = true
			startEventStream(w)
		}
	}
	res, err := svc.Ask(r.Context(), chat.Request{CustomerID: p.CustomerID, UserID: p.Actor(), ConversationID: req.ConversationID,
		Message: req.Message, OnToken: func(tok string) {
			start()
			writeEvent(w, "token", map[string]string{"text": tok})
			_ = rc.Flush()
		}})
	if err != nil {
		if !started {
			return err // nothing sent yet: a normal JSON error
		}
		s.logger.WarnContext(r.Context(), "chat stream failed", "err", err)
		writeEvent(w, "error", ErrorDetail{Code: brain.ErrorCode(err), Message: brain.ErrorMessage(err), RequestID: requestIDFrom(r.Context())})
		_ = rc.Flush()
		return nil
	}
	start()
	noteAudit(r, "", "", res.MessageID, "")
	writeEvent(w, "done", res)
	_ = rc.Flush()
	return nil
}

// startEventStream answers 200 with the headers of server-sent events
// (no caching, no proxy buffering).
func startEventStream(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
}

// writeEvent writes one server-sent event with v as JSON data.
func writeEvent(w http.ResponseWriter, event string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b)
}

func (s *Server) chatUsage(w http.ResponseWriter, r *http.Request) error {
	to := s.now().UTC()
	from := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, time.UTC)
	if t, err := timeParam(r, "from"); err != nil {
		return err
	} else if t != nil {
		from = *t
	}
	if t, err := timeParam(r, "to"); err != nil {
		return err
	} else if t != nil {
		to = *t
	}
	u, err := s.store.ChatUsage(r.Context(), principal(r).CustomerID, from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}
