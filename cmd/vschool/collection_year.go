package main

import (
	"fmt"
	"strconv"

	"github.com/vschool/vschool/internal/calendar"
)

// parseCollectionYear reads --collection-year: the SSDA903 collection year ending 31 March
// of the year given ("2025"), or written as the academic year holding that 31 March
// ("2024-25", "2024/25", "202425").
func parseCollectionYear(s string) (int, error) {
	if len(s) == 4 {
		if y, err := strconv.Atoi(s); err == nil && y >= 2000 && y <= 2100 {
			return y, nil
		}
	} else if y, err := calendar.ParseAcademicYear(s); err == nil && y >= 1999 && y < 2100 {
		return int(y) + 1, nil
	}
	return 0, fmt.Errorf("--collection-year %q: want the year the collection ends on 31 March, e.g. 2025 (or 2024-25)", s)
}
