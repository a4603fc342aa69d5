package api

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/chat"
)

// WSMessage is what client and server send over /api/ws/chat.
//
// Client: {"type":"ask","message":"…","conversation_id":"…"} asks;
// {"type":"cancel"} stops the answer being written.
// Server: {"type":"token","text":"…"} as the answer is written, then
// {"type":"done","result":{…answer with sources…}}, or
// {"type":"error","code":"…","message":"…"}; {"type":"cancelled"}
// confirms a cancel.
type WSMessage struct {
	Type           string       `json:"type"`
	Message        string       `json:"message,omitempty"`
	ConversationID string       `json:"conversation_id,omitempty"`
	Text           string       `json:"text,omitempty"`
	Result         *chat.Result `json:"result,omitempty"`
	Code           string       `json:"code,omitempty"`
}

func (s *Server) wsChat(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.chatService()
	if err != nil {
		return err
	}
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: s.opts.CORSOrigins})
	if err != nil {
		return nil // Accept has answered
	}
	defer c.CloseNow()
	c.SetReadLimit(64 << 10)
	p := principal(r)
	ctx := context.WithoutCancel(r.Context())
	var (
		mu     sync.Mutex // serialises writes
		cancel context.CancelFunc
		wg     sync.WaitGroup
	)
	send := func(m WSMessage) {
		mu.Lock()
		defer mu.Unlock()
		wctx, stop := context.WithTimeout(ctx, 10*time.Second)
		defer stop()
		_ = wsjson.Write(wctx, c, m)
	}
	defer func() {
		if cancel != nil {
			cancel()
		}
		wg.Wait()
	}()
	for {
		var in WSMessage
		if err := wsjson.Read(ctx, c, &in); err != nil {
			var ce websocket.CloseError
			if !errors.As(err, &ce) {
				s.logger.DebugContext(ctx, "ws chat: read", "err", err)
			}
			return nil // the client went away: defer cancels the answer
		}
		switch in.Type {
		case "cancel":
			if cancel != nil {
				cancel()
			}
		case "ask":
			if cancel != nil {
				cancel()
				wg.Wait()
			}
			actx, stop := context.WithCancel(ctx)
			cancel = stop
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := svc.Ask(actx, chat.Request{CustomerID: p.CustomerID, UserID: p.Actor(), ConversationID: in.ConversationID,
					Message: in.Message, OnToken: func(t string) { send(WSMessage{Type: "token", Text: t}) }})
				switch {
				case actx.Err() != nil:
					send(WSMessage{Type: "cancelled"})
				case err != nil:
					send(WSMessage{Type: "error", Code: brain.ErrorCode(err), Message: brain.ErrorMessage(err)})
				default:
					send(WSMessage{Type: "done", Result: res})
				}
			}()
		default:
			send(WSMessage{Type: "error", Code: brain.EINVALID, Message: `send {"type":"ask","message":"…"} or {"type":"cancel"}`})
		}
	}
}
