// Package deliver sends the reports and alerts of `vschool serve` by email over SMTP with
// STARTTLS and authentication (github.com/wneessen/go-mail): a text body, an HTML
// alternative and attachments.
//
// It takes a password, never reads one: cmd resolves it from the environment variable or
// file named in the config. Messages carry aggregate figures and report files only; what goes
// into them is decided by package jobs.
package deliver
