package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/zero711/brain/internal/chat"
)

// cmdAsk asks a customer's brain a question, streaming the answer, then
// lists its sources.
func cmdAsk(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	customer := fs.String("customer", "", "customer id (required)")
	conversation := fs.String("conversation", "", "continue this conversation")
	return withPlatform(ctx, "ask", args, e, fs, func(p *platform) error {
		q := strings.Join(fs.Args(), " ")
		if *customer == "" || strings.TrimSpace(q) == "" {
			return errors.New(`usage: 0711 ask --customer C [--conversation ID] "question"`)
		}
		if _, err := p.store.Customer(ctx, *customer); err != nil {
			return fmt.Errorf("customer %q: %w", *customer, err)
		}
		svc := chat.New(p.lake, p.store, chat.Options{LLM: p.llm, Adapters: p.adapters, Logger: p.logger})
		res, err := svc.Ask(ctx, chat.Request{CustomerID: *customer, UserID: "cli", ConversationID: *conversation, Message: q,
			OnToken: func(tok string) { fmt.Fprint(e.stdout, tok) }})
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout)
		if len(res.Sources) > 0 {
			fmt.Fprintln(e.stdout, "\nSources:")
		}
		for _, s := range res.Sources {
			where := s.Title
			if s.Section != "" {
				where += " › " + s.Section
			}
			if s.Page > 0 {
				where += fmt.Sprintf(" (p. %d)", s.Page)
			}
			fmt.Fprintf(e.stdout, "  [%d] %s  (%s)\n", s.N, where, s.DocumentID)
		}
		fmt.Fprintf(e.stdout, "\n(%s answer; conversation %s, message %s)\n", res.Mode, res.ConversationID, res.MessageID)
		return nil
	})
}
