// Package chat answers a customer's questions from its lakehouse: it keeps
// conversations, routes a question to an expert domain, retrieves with
// hybrid search, reranks with what the customer's feedback taught,
// answers (extractively when no LLM is configured) with numbered sources,
// and records every interaction and its feedback.
package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/answer"
	"github.com/zero711/brain/internal/classify"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/learn"
	"github.com/zero711/brain/internal/llm"
	"github.com/zero711/brain/internal/store"
)

// Searcher retrieves chunks from a customer's lakehouse.
type Searcher interface {
	Search(ctx context.Context, customerID string, req lakehouse.SearchRequest) ([]lakehouse.Hit, error)
}

// Options configure a Service.
type Options struct {
	// Sources is how many chunks an answer may draw on (default 6).
	Sources int
	// LearnTTL is how long a customer's learned model is reused before
	// feedback given on other nodes is read again (default 1 minute;
	// feedback given here takes effect at once).
	LearnTTL time.Duration
	// LLM answers from the sources when set; without one the built-in
	// extractive answerer does (and says so).
	LLM llm.Client
	// Adapters picks a customer's model (its LoRA adapter, or the base
	// model); nil means the LLM's base model.
	Adapters Adapters
	Logger   *slog.Logger
	Now      func() time.Time
}

// Adapters chooses the model that serves a customer.
type Adapters interface {
	ModelFor(ctx context.Context, customerID string) string
}

// Service answers questions.
type Service struct {
	search Searcher
	store  store.Chat
	opts   Options

	mu     sync.Mutex
	models map[string]cachedModel // customer → learned model
}

type cachedModel struct {
	m    *learn.Model
	when time.Time
}

// New returns a Service.
func New(search Searcher, st store.Chat, opts Options) *Service {
	if opts.Sources <= 0 {
		opts.Sources = 6
	}
	if opts.LearnTTL <= 0 {
		opts.LearnTTL = time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Service{search: search, store: st, opts: opts, models: map[string]cachedModel{}}
}

// Request is one question.
type Request struct {
	CustomerID     string
	UserID         string // the asking principal's actor id
	ConversationID string // empty: a new conversation
	Message        string
	// OnToken, when set, receives the answer as it is written (the whole
	// answer at once when it is not generated token by token).
	OnToken func(string)
}

// Result is an answer with its sources.
type Result struct {
	Answer         string             `json:"answer"`
	Sources        []brain.ChatSource `json:"sources"`
	ConversationID string             `json:"conversation_id"`
	MessageID      string             `json:"message_id"`
	Mode           string             `json:"mode"` // "llm" or "extractive"
	Expert         string             `json:"expert,omitempty"`
	Language       string             `json:"language,omitempty"`
	// Reused says the answer is a correction a user gave to a
	// near-identical question.
	Reused bool `json:"reused_correction,omitempty"`
}

// MaxMessage bounds a question in bytes.
const MaxMessage = 8000

// Ask answers a question and records the exchange.
func (s *Service) Ask(ctx context.Context, req Request) (*Result, error) {
	start := s.opts.Now()
	msg := strings.TrimSpace(req.Message)
	switch {
	case msg == "":
		return nil, brain.Errorf(brain.EINVALID, "message is required")
	case len(msg) > MaxMessage || !utf8.ValidString(msg):
		return nil, brain.Errorf(brain.EINVALID, "message must be valid text of at most %d bytes", MaxMessage)
	}
	conv, history, err := s.conversation(ctx, req, msg)
	if err != nil {
		return nil, err
	}
	query := retrievalQuery(msg, history)
	var modelName, expert string
	routed := false
	if s.opts.LLM != nil {
		modelName = s.modelFor(ctx, req.CustomerID)
		expert, routed = s.llmRoute(ctx, req.CustomerID, modelName, query)
	}
	if !routed {
		expert = route(query)
	}
	hits, err := s.retrieve(ctx, req.CustomerID, query, expert)
	if err != nil {
		return nil, err
	}
	model := s.model(ctx, req.CustomerID)
	hits = rerank(model, msg, hits)
	res := &Result{ConversationID: conv.ID, Mode: answer.ModeExtractive, Expert: expert}
	sources := make([]answer.Source, len(hits))
	for i, h := range hits {
		sources[i] = answer.Source{N: i + 1, DocumentID: h.DocumentID, Title: h.Title, ChunkID: h.ChunkID, Section: h.Section,
			Page: h.Page, Text: h.Text, Score: h.Score}
	}
	var usage llm.Usage
	if s.opts.LLM == nil {
		modelName = "builtin-extractive"
	}
	if c, _, ok := model.Reuse(msg); ok {
		res.Answer, res.Reused = c.Answer+"\n\n(Korrigierte Antwort aus früherem Feedback / corrected answer from earlier feedback)", true
		emit(req.OnToken, res.Answer)
	} else if s.opts.LLM != nil && len(sources) > 0 {
		text, used, u, err := s.generate(ctx, msg, history, sources, modelName, req.OnToken)
		if err != nil {
			return nil, err
		}
		res.Answer, res.Mode, usage = text, "llm", u
		for _, n := range answer.CitedSources(text, used) {
			src := used[n-1]
			res.Sources = append(res.Sources, brain.ChatSource{N: n, DocumentID: src.DocumentID, Title: src.Title,
				ChunkID: src.ChunkID, Section: src.Section, Page: src.Page, Score: src.Score, Text: src.Text})
		}
	} else {
		// A follow-up is answered with the topic it continues.
		a := answer.Extractive(query, sources, answer.Options{})
		res.Answer, res.Language = a.Text, a.Language
		for _, n := range a.Citations {
			src := sources[n-1]
			res.Sources = append(res.Sources, brain.ChatSource{N: n, DocumentID: src.DocumentID, Title: src.Title,
				ChunkID: src.ChunkID, Section: src.Section, Page: src.Page, Score: src.Score, Text: src.Text})
		}
		emit(req.OnToken, res.Answer)
	}
	if res.Sources == nil {
		res.Sources = []brain.ChatSource{}
	}
	now := s.opts.Now()
	user := &brain.ChatMessage{ID: newID(), ConversationID: conv.ID, CustomerID: req.CustomerID, Role: brain.RoleUserMessage,
		Content: msg, CreatedAt: start}
	if err := s.store.AddMessage(ctx, user); err != nil {
		return nil, err
	}
	bot := &brain.ChatMessage{ID: newID(), ConversationID: conv.ID, CustomerID: req.CustomerID, Role: brain.RoleAssistantMessage,
		Content: res.Answer, Sources: res.Sources, Mode: res.Mode, Model: modelName, Expert: expert,
		LatencyMS: int(now.Sub(start).Milliseconds()), PromptTokens: usage.PromptTokens, CompletionTokens: usage.CompletionTokens,
		CreatedAt: now}
	if err := s.store.AddMessage(ctx, bot); err != nil {
		return nil, err
	}
	res.MessageID = bot.ID
	return res, nil
}

func emit(fn func(string), s string) {
	if fn != nil {
		fn(s)
	}
}

func (s *Service) modelFor(ctx context.Context, customerID string) string {
	if s.opts.Adapters == nil {
		return ""
	}
	return s.opts.Adapters.ModelFor(ctx, customerID)
}

// generate has the LLM answer from the numbered sources, streaming the
// text to onToken; it returns the text, the sources the prompt numbered
// and the tokens used.
func (s *Service) generate(ctx context.Context, question string, history []*brain.ChatMessage, sources []answer.Source,
	model string, onToken func(string)) (string, []answer.Source, llm.Usage, error) {
	var turns []answer.Turn
	for _, m := range history {
		turns = append(turns, answer.Turn{Role: m.Role, Content: m.Content})
	}
	system, user, used := answer.BuildPrompt(question, turns, sources, 0)
	req := llm.Request{Model: model, Messages: []llm.Message{{Role: llm.RoleSystem, Content: system}, {Role: llm.RoleUser, Content: user}}}
	stream, err := s.opts.LLM.Stream(ctx, req)
	if err != nil {
		return "", nil, llm.Usage{}, modelError(ctx, err)
	}
	var b strings.Builder
	var usage llm.Usage
	for d := range stream {
		if d.Err != nil {
			return "", nil, usage, modelError(ctx, d.Err)
		}
		if d.Content != "" {
			b.WriteString(d.Content)
			emit(onToken, d.Content)
		}
		if d.Usage != nil {
			usage = *d.Usage
		}
	}
	if err := ctx.Err(); err != nil {
		return "", nil, usage, err
	}
	return b.String(), used, usage, nil
}

// DomainCounter tells which expert domains a customer's documents are in;
// the lakehouse does.
type DomainCounter interface {
	Stats(ctx context.Context, customerID string) (*lakehouse.Stats, error)
}

// llmRoute lets the LLM choose the expert domain by calling the route
// tool, among the domains the customer's documents are in. It reports
// false (the built-in router decides) when there is nothing to choose or
// the model does not answer with a valid choice.
func (s *Service) llmRoute(ctx context.Context, customerID, model, question string) (string, bool) {
	dc, ok := s.search.(DomainCounter)
	if !ok {
		return "", false
	}
	st, err := dc.Stats(ctx, customerID)
	if err != nil {
		return "", false
	}
	var domains []string
	for d, n := range st.Domains {
		if d != "" && d != "GENERAL" && n > 0 {
			domains = append(domains, d)
		}
	}
	if len(domains) < 2 {
		return "", false
	}
	slices.Sort(domains)
	schema, _ := json.Marshal(map[string]any{"type": "object", "required": []string{"domain"},
		"properties": map[string]any{"domain": map[string]any{"type": "string", "enum": append(domains, "GENERAL")}}})
	resp, err := s.opts.LLM.Complete(ctx, llm.Request{Model: model, MaxTokens: 50, Messages: []llm.Message{
		{Role: llm.RoleSystem, Content: "Route the user's question to the expert domain whose documents answer it " +
			"(CTAX tax, LAW law and contracts, TENDER public tenders, ETIM product data). Call route with the domain, or GENERAL when none fits."},
		{Role: llm.RoleUser, Content: question}},
		Tools: []llm.Tool{{Name: "route", Description: "Choose the expert domain for the question.", Parameters: schema}}})
	if err != nil {
		s.opts.Logger.Warn("chat: LLM routing failed; the built-in router decides", "err", err)
		return "", false
	}
	for _, tc := range resp.ToolCalls {
		var args struct{ Domain string }
		if tc.Name != "route" || json.Unmarshal(tc.Arguments, &args) != nil {
			continue
		}
		if args.Domain == "GENERAL" {
			return "", true
		}
		if slices.Contains(domains, args.Domain) {
			return args.Domain, true
		}
	}
	return "", false
}

// modelError says clearly that the answer model failed (and why), unless
// the caller went away.
func modelError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("%w: %w", brain.Errorf(brain.EUNAVAILABLE, "the answer model failed: %v", err), err)
}

// conversation returns the request's conversation (created for a first
// question) and its messages so far.
func (s *Service) conversation(ctx context.Context, req Request, msg string) (*brain.Conversation, []*brain.ChatMessage, error) {
	if req.ConversationID != "" {
		c, err := s.store.Conversation(ctx, req.CustomerID, req.ConversationID)
		if err != nil {
			return nil, nil, err
		}
		hist, err := s.store.Messages(ctx, req.CustomerID, c.ID)
		return c, hist, err
	}
	title := msg
	if r := []rune(title); len(r) > 80 {
		title = string(r[:80]) + "…"
	}
	c := &brain.Conversation{ID: newID(), CustomerID: req.CustomerID, UserID: req.UserID, Title: title, CreatedAt: s.opts.Now()}
	if err := s.store.CreateConversation(ctx, c); err != nil {
		return nil, nil, err
	}
	return c, nil, nil
}

// retrievalQuery widens a short follow-up ("und für 2024?") with the
// previous question, so that retrieval has the topic.
func retrievalQuery(msg string, history []*brain.ChatMessage) string {
	if len(learn.Terms(msg)) >= 4 {
		return msg
	}
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].Role == brain.RoleUserMessage {
			return history[i].Content + " " + msg
		}
	}
	return msg
}

// route picks the expert domain of a question, or "" for all: the
// built-in classifier, trusted only when it is sure.
func route(q string) string {
	r := classify.Classify("", q)
	if r.Domain == "" || r.Domain == "GENERAL" || r.Confidence < 0.5 {
		return ""
	}
	return r.Domain
}

// retrieve searches within the expert's domain first and falls back to
// every document when the domain has nothing.
func (s *Service) retrieve(ctx context.Context, customerID, q, expert string) ([]lakehouse.Hit, error) {
	req := lakehouse.SearchRequest{Query: q, K: s.opts.Sources, Filters: lakehouse.Filters{Domain: expert}}
	hits, err := s.search.Search(ctx, customerID, req)
	if err != nil {
		return nil, err
	}
	if len(hits) == 0 && expert != "" {
		req.Filters.Domain = ""
		hits, err = s.search.Search(ctx, customerID, req)
	}
	return hits, err
}

// hitRef lets learn.Rerank rescore hits.
type hitRef struct{ h *lakehouse.Hit }

func (r hitRef) Chunk() string      { return r.h.ChunkID }
func (r hitRef) Value() float64     { return r.h.Score }
func (r hitRef) SetValue(v float64) { r.h.Score = v }

// rerank applies what the customer's feedback taught to hits.
func rerank(m *learn.Model, question string, hits []lakehouse.Hit) []lakehouse.Hit {
	if m.Empty() {
		return hits
	}
	refs := make([]hitRef, len(hits))
	for i := range hits {
		refs[i] = hitRef{&hits[i]}
	}
	learn.Rerank(m, question, refs)
	out := make([]lakehouse.Hit, len(refs))
	for i, r := range refs {
		out[i] = *r.h
	}
	return out
}

// Feedback records a user's thumbs (+1/-1) and optional correction on an
// answer of the customer; it takes effect for the customer's next
// question at once.
func (s *Service) Feedback(ctx context.Context, customerID, userID, messageID string, rating int, correction string) error {
	m, err := s.store.Message(ctx, customerID, messageID)
	if err != nil {
		return err
	}
	if rating != 1 && rating != -1 {
		return brain.Errorf(brain.EINVALID, "rating must be 1 (thumbs up) or -1 (thumbs down)")
	}
	if len(correction) > MaxMessage || !utf8.ValidString(correction) {
		return brain.Errorf(brain.EINVALID, "correction must be valid text of at most %d bytes", MaxMessage)
	}
	if m.Role != brain.RoleAssistantMessage {
		return brain.Errorf(brain.EINVALID, "feedback is given on answers, not questions")
	}
	if err := s.store.SetFeedback(ctx, &brain.Feedback{MessageID: messageID, CustomerID: customerID, UserID: userID,
		Rating: rating, Correction: strings.TrimSpace(correction), CreatedAt: s.opts.Now()}); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.models, customerID)
	s.mu.Unlock()
	return nil
}

// model returns the customer's learned model, built from its feedback.
func (s *Service) model(ctx context.Context, customerID string) *learn.Model {
	s.mu.Lock()
	c, ok := s.models[customerID]
	s.mu.Unlock()
	if ok && s.opts.Now().Sub(c.when) < s.opts.LearnTTL {
		return c.m
	}
	m, err := s.buildModel(ctx, customerID)
	if err != nil {
		s.opts.Logger.Warn("chat: learned model", "customer", customerID, "err", err)
		return learn.Build(nil, nil, learn.Options{})
	}
	s.mu.Lock()
	s.models[customerID] = cachedModel{m, s.opts.Now()}
	s.mu.Unlock()
	return m
}

// buildModel turns the customer's feedback into votes on the chunks the
// judged answers cited, with the questions they answered.
func (s *Service) buildModel(ctx context.Context, customerID string) (*learn.Model, error) {
	fb, err := s.store.ListFeedback(ctx, customerID, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	var votes []learn.Vote
	var corrections []learn.Correction
	questions := map[string]string{} // answer message id → question
	for _, f := range fb {
		m, err := s.store.Message(ctx, customerID, f.MessageID)
		if err != nil {
			continue
		}
		q, ok := questions[m.ID]
		if !ok {
			msgs, err := s.store.Messages(ctx, customerID, m.ConversationID)
			if err != nil {
				return nil, err
			}
			for i, x := range msgs {
				if x.Role == brain.RoleAssistantMessage && i > 0 && msgs[i-1].Role == brain.RoleUserMessage {
					questions[x.ID] = msgs[i-1].Content
				}
			}
			q = questions[m.ID]
		}
		for i, src := range m.Sources {
			// The answer's first source carries its judgement most.
			votes = append(votes, learn.Vote{ChunkID: src.ChunkID, UserID: f.UserID, Question: q, Rating: f.Rating,
				Weight: 1 / float64(i+1)})
		}
		if f.Correction != "" && q != "" {
			corrections = append(corrections, learn.Correction{Question: q, Answer: f.Correction, MessageID: m.ID, UserID: f.UserID})
		}
	}
	return learn.Build(votes, corrections, learn.Options{}), nil
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }
