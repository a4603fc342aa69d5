package brain

import "time"

// Conversation is a chat between a user and the customer's brain.
type Conversation struct {
	ID         string    `json:"conversation_id"`
	CustomerID string    `json:"customer_id"`
	UserID     string    `json:"user_id,omitempty"` // the principal's actor (user or API key)
	Title      string    `json:"title"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Messages   int       `json:"messages"`
}

// Chat message roles.
const (
	RoleUserMessage      = "user"
	RoleAssistantMessage = "assistant"
)

// ChatSource is a numbered source an answer cites.
type ChatSource struct {
	N          int     `json:"n"`
	DocumentID string  `json:"document_id"`
	Title      string  `json:"title"`
	ChunkID    string  `json:"chunk_id"`
	Section    string  `json:"section,omitempty"`
	Page       int     `json:"page,omitempty"`
	Score      float64 `json:"score"`
	Text       string  `json:"text,omitempty"`
}

// ChatMessage is one turn of a conversation; an assistant's carries what
// produced it (the interaction log).
type ChatMessage struct {
	ID               string       `json:"message_id"`
	ConversationID   string       `json:"conversation_id"`
	CustomerID       string       `json:"customer_id"`
	Role             string       `json:"role"`
	Content          string       `json:"content"`
	Sources          []ChatSource `json:"sources,omitempty"`
	Mode             string       `json:"mode,omitempty"`   // "llm" or "extractive"
	Model            string       `json:"model,omitempty"`  // model or adapter that answered
	Expert           string       `json:"expert,omitempty"` // expert domain(s) routed to
	LatencyMS        int          `json:"latency_ms,omitempty"`
	PromptTokens     int          `json:"prompt_tokens,omitempty"`
	CompletionTokens int          `json:"completion_tokens,omitempty"`
	CreatedAt        time.Time    `json:"created_at"`
}

// Feedback is a user's judgement of an answer: thumbs up (+1) or down
// (-1), and optionally the correct answer.
type Feedback struct {
	MessageID  string    `json:"message_id"`
	CustomerID string    `json:"customer_id"`
	UserID     string    `json:"user_id"`
	Rating     int       `json:"rating"`
	Correction string    `json:"correction,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// ChatUsage is a customer's metered use of answers over a period, for
// usage-based billing.
type ChatUsage struct {
	CustomerID       string    `json:"customer_id"`
	From             time.Time `json:"from"`
	To               time.Time `json:"to"`
	Queries          int       `json:"queries"`
	LLMQueries       int       `json:"llm_queries"`
	PromptTokens     int       `json:"prompt_tokens"`
	CompletionTokens int       `json:"completion_tokens"`
}
