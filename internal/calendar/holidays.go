package calendar

import (
	"slices"
	"time"
)

// specialBankHolidays are one-off England bank holidays, and the years whose usual
// early-May or spring holiday moved.
var specialBankHolidays = map[int][]time.Time{
	2011: {Day(2011, time.April, 29)},                              // royal wedding
	2012: {Day(2012, time.June, 5)},                                // diamond jubilee
	2022: {Day(2022, time.June, 3), Day(2022, time.September, 19)}, // platinum jubilee, state funeral
	2023: {Day(2023, time.May, 8)},                                 // coronation
}

// movedBankHolidays replaces a usual date by another in a given year.
var movedBankHolidays = map[time.Time]time.Time{
	Day(2012, time.May, 28): Day(2012, time.June, 4), // spring bank holiday moved for the jubilee
	Day(2020, time.May, 4):  Day(2020, time.May, 8),  // early May moved to VE day
	Day(2022, time.May, 30): Day(2022, time.June, 2), // spring bank holiday moved for the jubilee
}

// BankHolidays returns England and Wales bank holidays in a calendar year, in date order:
// New Year's Day, Good Friday, Easter Monday, the early May and spring bank holidays, the
// summer bank holiday, Christmas Day and Boxing Day (with substitute days when they fall at
// a weekend), and the one-off holidays of 2011, 2012, 2020, 2022 and 2023.
func BankHolidays(year int) []time.Time {
	easter := EasterSunday(year)
	days := []time.Time{
		weekdayOnOrAfter(Day(year, time.January, 1)),
		easter.AddDate(0, 0, -2),
		easter.AddDate(0, 0, 1),
		firstMonday(year, time.May),
		lastMonday(year, time.May),
		lastMonday(year, time.August),
	}
	xmas := Day(year, time.December, 25)
	switch xmas.Weekday() {
	case time.Friday:
		days = append(days, xmas, Day(year, time.December, 28))
	case time.Saturday:
		days = append(days, Day(year, time.December, 27), Day(year, time.December, 28))
	case time.Sunday:
		days = append(days, Day(year, time.December, 26), Day(year, time.December, 27))
	default:
		days = append(days, xmas, Day(year, time.December, 26))
	}
	for i, d := range days {
		if moved, ok := movedBankHolidays[d]; ok {
			days[i] = moved
		}
	}
	days = append(days, specialBankHolidays[year]...)
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	return days
}

// IsBankHoliday reports whether d is an England bank holiday.
func IsBankHoliday(d time.Time) bool {
	d = Truncate(d)
	return slices.ContainsFunc(BankHolidays(d.Year()), d.Equal)
}

// IsWorkingDay reports whether d is Monday to Friday and not an England bank holiday.
func IsWorkingDay(d time.Time) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !IsBankHoliday(d)
}

// AddWorkingDays returns the n-th working day after start (start itself is day 0, whatever
// day of the week it is). n must be >= 0.
func AddWorkingDays(start time.Time, n int) time.Time {
	d := Truncate(start)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// NextWorkingDayAfter returns the first working day strictly after d.
func NextWorkingDayAfter(d time.Time) time.Time { return AddWorkingDays(d, 1) }

func weekdayOnOrAfter(d time.Time) time.Time {
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func firstMonday(year int, m time.Month) time.Time {
	d := Day(year, m, 1)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func lastMonday(year int, m time.Month) time.Time {
	d := Day(year, m+1, 1).AddDate(0, 0, -1)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}
