package jobs

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vschool/vschool/cmd/vschool/internal/jobs/deliver"
	"github.com/vschool/vschool/cmd/vschool/internal/jobs/ledger"
)

// addDelivery queues an email to a role; nothing is queued when email is off or the role
// has no recipients.
func (s *Service) addDelivery(r *ledger.Run, role string, to []string, subject string, files []string) {
	if s.deps.Send == nil || len(to) == 0 {
		return
	}
	r.Deliveries = append(r.Deliveries, ledger.Delivery{Role: role, To: to, Subject: subject, Files: files})
}

// deliver sends the run's unsent emails and sets its outcome: Succeeded (PartlySucceeded
// when the run refused some input) when all went, DeliveredFailed (with a next attempt)
// otherwise. A failed run keeps Failed. Each email that does not go is also an error of the
// current pass (sendErrs), so that `serve --once` fails.
func (s *Service) deliver(ctx context.Context, r *ledger.Run) {
	pending := 0
	for i := range r.Deliveries {
		d := &r.Deliveries[i]
		if d.Sent {
			continue
		}
		d.Attempts++
		err := s.deps.Send(ctx, deliver.Message{To: d.To, Subject: d.Subject, Text: bodyText(*r, *d), HTML: bodyHTML(*r, *d), Attachments: d.Files})
		if err != nil {
			d.Error = err.Error()
			pending++
			s.deps.Log.Error("email not delivered", "run_id", r.Key, "role", d.Role, "error", err)
			s.sendErrs = append(s.sendErrs, fmt.Errorf("%s: email to %s not delivered: %w", r.Key, d.Role, err))
			continue
		}
		d.Sent, d.Error, d.At = true, "", s.now()
	}
	if r.Outcome == ledger.Failed {
		if pending > 0 {
			r.NextAttempt = s.now().Add(s.backoff(maxDeliveryAttempts(*r)))
		}
		return
	}
	r.Outcome, r.NextAttempt = ledger.Succeeded, time.Time{}
	if r.Refused > 0 {
		r.Outcome = ledger.PartlySucceeded
	}
	if pending > 0 {
		r.Outcome = ledger.DeliveredFailed
		r.NextAttempt = s.now().Add(s.backoff(maxDeliveryAttempts(*r)))
	}
}

func maxDeliveryAttempts(r ledger.Run) int {
	n := 0
	for _, d := range r.Deliveries {
		n = max(n, d.Attempts)
	}
	return n
}

func hasUnsent(r ledger.Run) bool {
	return slices.ContainsFunc(r.Deliveries, func(d ledger.Delivery) bool { return !d.Sent })
}

// followUp retries pending deliveries whose backoff has passed and reports runs that failed
// for the last time to the data officers.
func (s *Service) followUp(ctx context.Context) error {
	runs, err := s.deps.Ledger.All()
	if err != nil {
		return err
	}
	now := s.now()
	latest := map[string]bool{}
	for _, r := range runs { // newest first: only the newest record of a key counts
		if latest[r.Key] {
			continue
		}
		latest[r.Key] = true
		changed := false
		if r.Outcome == ledger.Failed && r.Attempts >= s.set.MaxAttempts && !r.Reported {
			r.Reported = true
			s.addDelivery(&r, "data_officers", s.set.Recipients.DataOfficers,
				fmt.Sprintf("vschool: %s failed after %d attempts", r.Key, r.Attempts), nil)
			s.deps.Log.Error("run failed for the last time", "run_id", r.Key, "attempts", r.Attempts)
			changed = true
		} else if s.deps.Send != nil && hasUnsent(r) && !now.Before(r.NextAttempt) && r.Outcome != ledger.Running {
			changed = true
		}
		if !changed {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if s.deps.Send != nil {
			s.deliver(ctx, &r)
		}
		if err := s.deps.Ledger.Put(r); err != nil {
			return err
		}
	}
	return nil
}

func bodyText(r ledger.Run, d ledger.Delivery) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", d.Subject)
	if d.Body != "" {
		fmt.Fprintf(&b, "%s\n", d.Body)
	}
	switch {
	case r.Outcome == ledger.Failed:
		fmt.Fprintf(&b, "Run %s failed after %d attempt(s).\nLast error: %s\n", r.Key, r.Attempts, r.Error)
	case len(d.Files) > 0:
		b.WriteString("Attached:\n")
		for _, f := range d.Files {
			fmt.Fprintf(&b, "- %s\n", filepath.Base(f))
		}
	}
	fmt.Fprintf(&b, "\nSent by vschool serve (run %s).\n", r.Key)
	return b.String()
}

func bodyHTML(r ledger.Run, d ledger.Delivery) string {
	esc := func(s string) string {
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<p><strong>%s</strong></p>", esc(d.Subject))
	if d.Body != "" {
		fmt.Fprintf(&b, "<pre>%s</pre>", esc(d.Body))
	}
	switch {
	case r.Outcome == ledger.Failed:
		fmt.Fprintf(&b, "<p>Run %s failed after %d attempt(s).</p><p>Last error: %s</p>", esc(r.Key), r.Attempts, esc(r.Error))
	case len(d.Files) > 0:
		b.WriteString("<p>Attached:</p><ul>")
		for _, f := range d.Files {
			fmt.Fprintf(&b, "<li>%s</li>", esc(filepath.Base(f)))
		}
		b.WriteString("</ul>")
	}
	fmt.Fprintf(&b, "<p>Sent by vschool serve (run %s).</p>", esc(r.Key))
	return b.String()
}
