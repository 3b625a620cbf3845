package model

import (
	"fmt"
	"strconv"
	"strings"
)

// placementTypes are the SSDA903 PLACE codes in words.
var placementTypes = map[string]string{
	"A3": "Placed for adoption with consent, with current foster carer",
	"A4": "Placed for adoption with consent, not with current foster carer",
	"A5": "Placed for adoption with placement order, with current foster carer",
	"A6": "Placed for adoption with placement order, not with current foster carer",
	"H5": "Semi-independent living accommodation",
	"K1": "Secure children's home",
	"K2": "Children's home",
	"P1": "Placed with parents or others with parental responsibility",
	"P2": "Independent living",
	"P3": "Residential employment",
	"R1": "Residential care home",
	"R2": "NHS or health trust establishment",
	"R3": "Family centre or mother and baby unit",
	"R5": "Young offender institution",
	"S1": "Residential school",
	"T0": "Temporary move", "T1": "Temporary period in hospital", "T2": "Temporary absence on holiday",
	"T3": "Temporary accommodation while the foster carer is on holiday", "T4": "Temporary accommodation of 7 days or less",
	"U1": "Foster placement with relative or friend, long term",
	"U2": "Foster placement with relative or friend who is an approved adopter",
	"U3": "Foster placement with relative or friend, not long term",
	"U4": "Foster placement with other carer, long term",
	"U5": "Foster placement with other carer who is an approved adopter",
	"U6": "Foster placement with other carer, not long term",
	"Z1": "Other placement",
}

// BreakdownLabel names a breakdown for a heading: "national curriculum year" for NCY,
// else the breakdown in lower case ("SEN provision" keeps its capitals).
func BreakdownLabel(breakdown string) string {
	switch breakdown {
	case "NCY":
		return "national curriculum year"
	case "SEN provision", "Total":
		return breakdown
	}
	if breakdown == "" {
		return ""
	}
	return strings.ToLower(breakdown[:1]) + breakdown[1:]
}

// BreakdownValueLabel is a breakdown value in words: "Year 7" for NCY 7, "Foster placement
// with other carer, long term" for placement type U4, "English" for subject ENGLISH,
// "Attendance sessions" for dataset attendance_sessions. Values already in words stay.
func BreakdownValueLabel(breakdown, value string) string {
	switch breakdown {
	case "NCY":
		n, err := strconv.Atoi(value)
		switch {
		case err != nil:
			return value
		case n == 0:
			return "Reception"
		case n == -1:
			return "Nursery"
		case n < -1:
			return fmt.Sprintf("Early years (NCY %d)", n)
		}
		return fmt.Sprintf("Year %d", n)
	case "Placement type":
		if l, ok := placementTypes[value]; ok {
			return l + " (" + value + ")"
		}
	case "Subject", "Dataset", "Assessment":
		return SentenceCase(strings.ReplaceAll(value, "_", " "))
	}
	return value
}

// SentenceCase writes "READING" or "attendance sessions" as "Reading", "Attendance
// sessions", keeping known acronyms (GPS, EYFS, KS2, PEP) in capitals.
func SentenceCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		switch up := strings.ToUpper(w); {
		case up == "GPS" || up == "EYFS" || up == "PEP" || up == "PEPS" || up == "SEN" || up == "UPN" || strings.HasPrefix(up, "KS") || strings.HasPrefix(up, "SSDA"):
			words[i] = up
			if up == "PEPS" {
				words[i] = "PEPs"
			}
		case i == 0:
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}
