package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/store"
)

const conversationColumns = `id, customer_id, user_id, title, messages, created_at, updated_at`

const messageColumns = `id, conversation_id, customer_id, role, content, sources, mode, model, expert, latency_ms,
	prompt_tokens, completion_tokens, created_at`

// CreateConversation implements store.Store.
func (s *DB) CreateConversation(ctx context.Context, c *brain.Conversation) error {
	c.CreatedAt = norm(c.CreatedAt)
	c.UpdatedAt = c.CreatedAt
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO conversations (`+conversationColumns+`) VALUES (?, ?, ?, ?, 0, ?, ?)`),
		c.ID, c.CustomerID, c.UserID, c.Title, c.CreatedAt, c.UpdatedAt)
	if err != nil {
		return fmt.Errorf("create conversation: %w", s.mapErr(err, "conversation"))
	}
	return nil
}

// Conversation implements store.Store.
func (s *DB) Conversation(ctx context.Context, customerID, id string) (*brain.Conversation, error) {
	c, err := scanConversation(s.db.QueryRowContext(ctx, s.q(`SELECT `+conversationColumns+` FROM conversations
		WHERE customer_id = ? AND id = ?`), customerID, id))
	if err != nil {
		return nil, fmt.Errorf("conversation: %w", s.mapErr(err, "conversation"))
	}
	return c, nil
}

// ListConversations implements store.Store. The cursor is a conversation
// id; pages follow the order of activity, then id.
func (s *DB) ListConversations(ctx context.Context, customerID, userID string, page store.Page) ([]*brain.Conversation, error) {
	q := `SELECT ` + conversationColumns + ` FROM conversations WHERE customer_id = ?`
	args := []any{customerID}
	if userID != "" {
		q += ` AND user_id = ?`
		args = append(args, userID)
	}
	if page.After != "" {
		q += ` AND (updated_at, id) < (SELECT updated_at, id FROM conversations WHERE customer_id = ? AND id = ?)`
		args = append(args, customerID, page.After)
	}
	q += ` ORDER BY updated_at DESC, id DESC LIMIT ?`
	args = append(args, page.Clamp())
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	out, err := collect(rows, scanConversation)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	return out, nil
}

// DeleteConversation implements store.Store.
func (s *DB) DeleteConversation(ctx context.Context, customerID, id string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// SQLite enforces cascades only with foreign keys on; delete
		// explicitly so both backends behave alike.
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM chat_feedback WHERE customer_id = ? AND message_id IN
			(SELECT id FROM chat_messages WHERE customer_id = ? AND conversation_id = ?)`), customerID, customerID, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM chat_messages WHERE customer_id = ? AND conversation_id = ?`), customerID, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM conversations WHERE customer_id = ? AND id = ?`), customerID, id)
		if err != nil {
			return err
		}
		return mustAffect(res, "conversation")
	})
	if err != nil {
		return fmt.Errorf("delete conversation: %w", err)
	}
	return nil
}

// AddMessage implements store.Store.
func (s *DB) AddMessage(ctx context.Context, m *brain.ChatMessage) error {
	src, err := json.Marshal(orEmptySources(m.Sources))
	if err != nil {
		return fmt.Errorf("add message: %w", err)
	}
	m.CreatedAt = norm(m.CreatedAt)
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE conversations SET messages = messages + 1, updated_at = ?
			WHERE customer_id = ? AND id = ?`), m.CreatedAt, m.CustomerID, m.ConversationID)
		if err != nil {
			return err
		}
		if err := mustAffect(res, "conversation"); err != nil {
			return err
		}
		var seq int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT messages FROM conversations WHERE id = ?`), m.ConversationID).Scan(&seq); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO chat_messages (`+messageColumns+`, seq)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			m.ID, m.ConversationID, m.CustomerID, m.Role, m.Content, string(src), m.Mode, m.Model, m.Expert, m.LatencyMS,
			m.PromptTokens, m.CompletionTokens, m.CreatedAt, seq)
		return s.mapErr(err, "message")
	})
	if err != nil {
		return fmt.Errorf("add message: %w", err)
	}
	return nil
}

// Messages implements store.Store.
func (s *DB) Messages(ctx context.Context, customerID, conversationID string) ([]*brain.ChatMessage, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+messageColumns+` FROM chat_messages
		WHERE customer_id = ? AND conversation_id = ? ORDER BY seq`), customerID, conversationID)
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	out, err := collect(rows, scanMessage)
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	return out, nil
}

// Message implements store.Store.
func (s *DB) Message(ctx context.Context, customerID, id string) (*brain.ChatMessage, error) {
	m, err := scanMessage(s.db.QueryRowContext(ctx, s.q(`SELECT `+messageColumns+` FROM chat_messages
		WHERE customer_id = ? AND id = ?`), customerID, id))
	if err != nil {
		return nil, fmt.Errorf("message: %w", s.mapErr(err, "message"))
	}
	return m, nil
}

// SetFeedback implements store.Store.
func (s *DB) SetFeedback(ctx context.Context, f *brain.Feedback) error {
	f.CreatedAt = norm(f.CreatedAt)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM chat_messages WHERE customer_id = ? AND id = ?`),
			f.CustomerID, f.MessageID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return brain.Errorf(brain.ENOTFOUND, "message not found")
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM chat_feedback WHERE message_id = ? AND user_id = ?`), f.MessageID, f.UserID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO chat_feedback (message_id, customer_id, user_id, rating, correction, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`), f.MessageID, f.CustomerID, f.UserID, f.Rating, f.Correction, f.CreatedAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("set feedback: %w", err)
	}
	return nil
}

// ListFeedback implements store.Store; the cursor is unused beyond the
// limit (feedback is read in bulk by the learner).
func (s *DB) ListFeedback(ctx context.Context, customerID string, page store.Page) ([]*brain.Feedback, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT message_id, customer_id, user_id, rating, correction, created_at
		FROM chat_feedback WHERE customer_id = ? ORDER BY created_at DESC, message_id LIMIT ?`), customerID, page.Clamp())
	if err != nil {
		return nil, fmt.Errorf("list feedback: %w", err)
	}
	out, err := collect(rows, func(r scanner) (*brain.Feedback, error) {
		var f brain.Feedback
		err := r.Scan(&f.MessageID, &f.CustomerID, &f.UserID, &f.Rating, &f.Correction, utcTime{&f.CreatedAt})
		return &f, err
	})
	if err != nil {
		return nil, fmt.Errorf("list feedback: %w", err)
	}
	return out, nil
}

// ChatUsage implements store.Store.
func (s *DB) ChatUsage(ctx context.Context, customerID string, from, to time.Time) (*brain.ChatUsage, error) {
	u := &brain.ChatUsage{CustomerID: customerID, From: norm(from), To: norm(to)}
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN mode = 'llm' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0)
		FROM chat_messages WHERE customer_id = ? AND role = 'assistant' AND created_at >= ? AND created_at < ?`),
		customerID, u.From, u.To).Scan(&u.Queries, &u.LLMQueries, &u.PromptTokens, &u.CompletionTokens)
	if err != nil {
		return nil, fmt.Errorf("chat usage: %w", err)
	}
	return u, nil
}

func scanConversation(r scanner) (*brain.Conversation, error) {
	var c brain.Conversation
	err := r.Scan(&c.ID, &c.CustomerID, &c.UserID, &c.Title, &c.Messages, utcTime{&c.CreatedAt}, utcTime{&c.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func scanMessage(r scanner) (*brain.ChatMessage, error) {
	var m brain.ChatMessage
	var src string
	err := r.Scan(&m.ID, &m.ConversationID, &m.CustomerID, &m.Role, &m.Content, &src, &m.Mode, &m.Model, &m.Expert,
		&m.LatencyMS, &m.PromptTokens, &m.CompletionTokens, utcTime{&m.CreatedAt})
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(src), &m.Sources); err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	return &m, nil
}

func orEmptySources(s []brain.ChatSource) []brain.ChatSource {
	if s == nil {
		return []brain.ChatSource{}
	}
	return s
}
