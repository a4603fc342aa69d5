package mail_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/mail"
)

// delivery is what the test server received in one transaction.
type delivery struct {
	from string
	to   []string
	data []byte
	user string
	tls  bool
}

// server is an in-process SMTP server that records deliveries.
type server struct {
	host, port string
	user, pass string // accepted credentials; empty: no AUTH offered

	mu   sync.Mutex
	got  []delivery
	cert *x509.Certificate
}

// serverOptions configure startServer.
type serverOptions struct {
	startTLS   bool // offer STARTTLS
	implicit   bool // speak TLS from the start
	user, pass string
}

// startServer listens on a random port of 127.0.0.1 until the test ends.
func startServer(t *testing.T, opts serverOptions) *server {
	t.Helper()
	s := &server{user: opts.user, pass: opts.pass}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if opts.startTLS || opts.implicit {
		var tc *tls.Config
		tc, s.cert = selfSigned(t)
		srv.TLSConfig = tc
		if opts.implicit {
			l = tls.NewListener(l, tc)
		}
	}
	s.host, s.port, _ = net.SplitHostPort(l.Addr().String())
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// config returns an SMTPConfig for the server that trusts its certificate.
func (s *server) config(t *testing.T, mode mail.TLSMode) mail.SMTPConfig {
	t.Helper()
	port, err := strconv.Atoi(s.port)
	if err != nil {
		t.Fatal(err)
	}
	cfg := mail.SMTPConfig{Host: s.host, Port: port, From: testFrom, TLS: mode, Timeout: 5 * time.Second}
	if s.cert != nil {
		roots := x509.NewCertPool()
		roots.AddCert(s.cert)
		cfg.TLSConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	return cfg
}

func (s *server) deliveries() []delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]delivery(nil), s.got...)
}

// NewSession implements smtp.Backend.
func (s *server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{s: s, conn: c, d: delivery{tls: isTLS}}, nil
}

type session struct {
	s    *server
	conn *smtp.Conn
	d    delivery
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.s.user || pass != ss.s.pass {
			return errors.New("invalid credentials")
		}
		ss.d.user = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && ss.d.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.d.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.d.to = append(ss.d.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	d := ss.d
	d.data = b
	_, d.tls = ss.conn.TLSConnectionState()
	ss.s.mu.Lock()
	ss.s.got = append(ss.s.got, d)
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.d = delivery{user: ss.d.user, tls: ss.d.tls} }
func (ss *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1.
func selfSigned(t *testing.T) (*tls.Config, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	tc := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		MinVersion:   tls.VersionTLS12,
	}
	return tc, cert
}

func TestSMTPSend(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		server   serverOptions
		mode     mail.TLSMode
		user     string
		pass     string
		wantTLS  bool
		wantUser string
	}{
		{name: "no tls", mode: mail.NoTLS},
		{name: "no tls with auth to localhost", server: serverOptions{user: "mailer", pass: "s3cret"},
			mode: mail.NoTLS, user: "mailer", pass: "s3cret", wantUser: "mailer"},
		{name: "starttls", server: serverOptions{startTLS: true}, mode: mail.StartTLS, wantTLS: true},
		{name: "starttls with auth", server: serverOptions{startTLS: true, user: "mailer", pass: "s3cret"},
			mode: mail.StartTLS, user: "mailer", pass: "s3cret", wantTLS: true, wantUser: "mailer"},
		{name: "implicit tls", server: serverOptions{implicit: true}, mode: mail.ImplicitTLS, wantTLS: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, tt.server)
			cfg := srv.config(t, tt.mode)
			cfg.Username, cfg.Password = tt.user, tt.pass
			var logs bytes.Buffer
			m, err := mail.NewSMTP(cfg, slogTo(&logs))
			if err != nil {
				t.Fatal(err)
			}
			sent := roundTrips()
			for _, rt := range sent {
				if err := m.Send(context.Background(), rt.msg); err != nil {
					t.Fatalf("Send %s: %v", rt.name, err)
				}
			}
			got := srv.deliveries()
			if len(got) != len(sent) {
				t.Fatalf("server received %d messages, want %d", len(got), len(sent))
			}
			for i, d := range got {
				r, err := mail.ParseMessage(bytes.NewReader(d.data))
				if err != nil {
					t.Fatalf("parse delivery %d: %v", i, err)
				}
				checkReceived(t, r, sent[i].msg)
				if len(d.to) != 1 || d.to[0] != r.To[0] {
					t.Errorf("envelope recipients = %q, want [%q]", d.to, r.To[0])
				}
				if d.from != "no-reply@0711.test" || d.tls != tt.wantTLS || d.user != tt.wantUser {
					t.Errorf("envelope from, tls, user = %q, %v, %q, want no-reply@0711.test, %v, %q",
						d.from, d.tls, d.user, tt.wantTLS, tt.wantUser)
				}
			}
			if !bytes.Contains(logs.Bytes(), []byte("ada@example.com")) {
				t.Errorf("log %q does not mention the recipient", logs.String())
			}
		})
	}
}

func TestSMTPSendFails(t *testing.T) {
	t.Parallel()
	msg := mail.Message{To: "ada@example.com", Subject: "s", Text: "t"}
	tests := []struct {
		name   string
		server serverOptions
		mode   mail.TLSMode
		user   string
		pass   string
	}{
		{name: "starttls required but not offered", mode: mail.StartTLS},
		{name: "wrong password", server: serverOptions{user: "mailer", pass: "s3cret"},
			mode: mail.NoTLS, user: "mailer", pass: "wrong"},
		{name: "auth required but not configured", server: serverOptions{user: "mailer", pass: "s3cret"}, mode: mail.NoTLS},
		{name: "implicit tls to a plain server", mode: mail.ImplicitTLS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, tt.server)
			cfg := srv.config(t, tt.mode)
			cfg.Username, cfg.Password = tt.user, tt.pass
			m, err := mail.NewSMTP(cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Send(context.Background(), msg); err == nil {
				t.Error("Send succeeded, want an error")
			}
			if n := len(srv.deliveries()); n != 0 {
				t.Errorf("server received %d messages, want 0", n)
			}
		})
	}
}

func TestSMTPSendRefusesBadMessage(t *testing.T) {
	t.Parallel()
	m, err := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: 1, From: testFrom, TLS: mail.NoTLS}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = m.Send(context.Background(), mail.Message{To: "a@example.com", Subject: "x\nBcc: eve@example.com", Text: "t"})
	if brain.ErrorCode(err) != brain.EINVALID {
		t.Errorf("Send = %v, want EINVALID before connecting", err)
	}
}

func TestSMTPSendHonoursContext(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{})
	m, err := mail.NewSMTP(srv.config(t, mail.NoTLS), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Send(ctx, mail.Message{To: "a@example.com", Subject: "s", Text: "t"}); err == nil {
		t.Error("Send with a cancelled context succeeded")
	}
}

func TestNewSMTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     mail.SMTPConfig
		wantErr bool
	}{
		{name: "minimal", cfg: mail.SMTPConfig{Host: "mail.example.com", Port: 587, From: testFrom}},
		{name: "no host", cfg: mail.SMTPConfig{Port: 587, From: testFrom}, wantErr: true},
		{name: "no port", cfg: mail.SMTPConfig{Host: "mail.example.com", From: testFrom}, wantErr: true},
		{name: "bad tls", cfg: mail.SMTPConfig{Host: "mail.example.com", Port: 587, From: testFrom, TLS: "ssl"}, wantErr: true},
		{name: "bad from", cfg: mail.SMTPConfig{Host: "mail.example.com", Port: 587, From: "nobody"}, wantErr: true},
	}
	for _, tt := range tests {
		_, err := mail.NewSMTP(tt.cfg, nil)
		if tt.wantErr != (brain.ErrorCode(err) == brain.EINVALID) || (!tt.wantErr && err != nil) {
			t.Errorf("%s: NewSMTP = %v, want error %v", tt.name, err, tt.wantErr)
		}
	}
}
