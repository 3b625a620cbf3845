package deliver

import (
	"encoding/base64"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/deliver/smtptest"
)

func TestSendWithAttachments(t *testing.T) {
	srv := smtptest.Start(t, "vs", "secret")
	dir := t.TempDir()
	pdf := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4 test"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Host: srv.Host, Port: srv.Port, Username: "vs", Password: "secret", From: "vs@example.gov.uk"})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(t.Context(), Message{
		To: []string{"head@example.gov.uk", "deputy@example.gov.uk"}, Subject: "Autumn term 2024-25",
		Text: "plain body", HTML: "<p>html body</p>", Attachments: []string{pdf},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Received()
	if len(got) != 1 {
		t.Fatalf("received %d messages, want 1", len(got))
	}
	m := got[0]
	if m.From != "vs@example.gov.uk" || strings.Join(m.To, ",") != "head@example.gov.uk,deputy@example.gov.uk" {
		t.Errorf("envelope = %s -> %v", m.From, m.To)
	}
	for _, want := range []string{"Subject: Autumn term 2024-25", "plain body", "<p>html body</p>", `filename="report.pdf"`, base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 test"))} {
		if !strings.Contains(m.Data, want) {
			t.Errorf("message lacks %q", want)
		}
	}
}

func TestSendFailures(t *testing.T) {
	srv := smtptest.Start(t, "vs", "secret")
	// A port nobody listens on: take one and close it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	downPort := l.Addr().(*net.TCPAddr).Port
	l.Close()
	tests := []struct {
		name string
		opts Options
	}{
		{"server down", Options{Host: "127.0.0.1", Port: downPort, Username: "vs", Password: "secret", From: "vs@example.gov.uk"}},
		{"wrong password", Options{Host: srv.Host, Port: srv.Port, Username: "vs", Password: "wrong", From: "vs@example.gov.uk"}},
		{"starttls required but not offered", Options{Host: srv.Host, Port: srv.Port, StartTLS: true, Username: "vs", Password: "secret", From: "vs@example.gov.uk"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Send(t.Context(), Message{To: []string{"a@example.gov.uk"}, Subject: "x", Text: "y"}); err == nil {
				t.Fatal("Send succeeded")
			}
		})
	}
	if len(srv.Received()) != 0 {
		t.Fatal("a message went through")
	}
}
