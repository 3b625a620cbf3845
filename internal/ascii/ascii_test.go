package ascii

import "testing"

func TestIsDigits(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", false},
		{"0", true},
		{"0123456789", true},
		{"12a", false},
		{" 12", false},
		{"-1", false},
		{"+1", false},
		{"1.5", false},
		{"١٢", false}, // Arabic-Indic digits are not ASCII digits
		{"12\n", false},
	}
	for _, tt := range tests {
		if got := IsDigits(tt.in); got != tt.want {
			t.Errorf("IsDigits(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
