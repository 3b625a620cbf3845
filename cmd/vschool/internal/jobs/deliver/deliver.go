package deliver

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/wneessen/go-mail"
)

// Options configure the SMTP connection.
type Options struct {
	Host     string
	Port     int
	StartTLS bool // true: STARTTLS is mandatory; false: plain connection (loopback relays and tests)
	Username string
	Password string
	From     string
	Timeout  time.Duration
}

// Message is one email.
type Message struct {
	To          []string
	Subject     string
	Text        string
	HTML        string   // optional alternative
	Attachments []string // file paths
}

// Sender sends messages with one set of options.
type Sender struct{ opts Options }

// New checks the options and returns a Sender.
func New(opts Options) (*Sender, error) {
	if opts.Host == "" || opts.Port <= 0 {
		return nil, errors.New("email: host and port are required")
	}
	if opts.From == "" {
		return nil, errors.New("email: from is required")
	}
	if opts.Username != "" && opts.Password == "" {
		return nil, errors.New("email: the password source is empty")
	}
	if opts.Timeout == 0 {
		opts.Timeout = 30 * time.Second
	}
	return &Sender{opts: opts}, nil
}

// Send delivers m to every address in m.To in one SMTP transaction.
func (s *Sender) Send(ctx context.Context, m Message) error {
	if len(m.To) == 0 {
		return errors.New("email: no recipients")
	}
	msg := mail.NewMsg()
	if err := msg.From(s.opts.From); err != nil {
		return fmt.Errorf("email from: %w", err)
	}
	if err := msg.To(m.To...); err != nil {
		return fmt.Errorf("email to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		msg.AttachFile(a, mail.WithFileName(filepath.Base(a)))
	}
	opts := []mail.Option{mail.WithPort(s.opts.Port), mail.WithTimeout(s.opts.Timeout)}
	if s.opts.StartTLS {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	if s.opts.Username != "" {
		auth := mail.SMTPAuthPlain
		if !s.opts.StartTLS {
			auth = mail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(s.opts.Username), mail.WithPassword(s.opts.Password))
	}
	c, err := mail.NewClient(s.opts.Host, opts...)
	if err != nil {
		return fmt.Errorf("email via %s: %w", s.opts.Host, err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("email via %s:%d: %w", s.opts.Host, s.opts.Port, err)
	}
	return nil
}
