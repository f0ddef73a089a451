package astrotiming

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/alorig/alorig/modules/astrotiming/engine"
)

// The question is read here, by rules, before any model sees it: the place, the dates and the
// activity decide which windows the engine computes, so they are never left to a model. The
// model only chooses among those windows (ask_service.go).

// askWords are the words of a question, lower-cased, without punctuation.
func askWords(q string) []string {
	return strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	})
}

// containsPhrase reports whether the words hold phrase (its words, in order, adjacent).
func containsPhrase(words []string, phrase string) bool {
	p := askWords(phrase)
	if len(p) == 0 {
		return false
	}
	for i := 0; i+len(p) <= len(words); i++ {
		if slices.Equal(words[i:i+len(p)], p) {
			return true
		}
	}
	return false
}

// askPlace is a place a question can name: one of the page's cities or a saved location.
type askPlace struct {
	Name  string
	Place engine.Place
}

// placeNamed finds the known place the question names, the longest name first (so "New York"
// is not read as "York"). It returns false when none is named.
func placeNamed(words []string, known []askPlace) (askPlace, bool) {
	sorted := slices.Clone(known)
	slices.SortStableFunc(sorted, func(a, b askPlace) int { return len(b.Name) - len(a.Name) })
	for _, p := range sorted {
		if containsPhrase(words, p.Name) {
			return p, true
		}
	}
	return askPlace{}, false
}

// unknownPlaceRE finds a capitalised name after "in", "at" or "near": a place the question
// names that AstroTiming may not know.
var unknownPlaceRE = regexp.MustCompile(`\b(?:in|at|near|around)\s+(\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?)`)

// unknownPlace is the capitalised place name the question seems to give, "" when none (a
// weekday or a month after "in"/"on" is not a place).
func unknownPlace(q string) string {
	for _, m := range unknownPlaceRE.FindAllStringSubmatch(q, -1) {
		first := strings.ToLower(strings.Fields(m[1])[0])
		if _, ok := weekdays[first]; ok || slices.Contains(months, first) || slices.Contains([]string{"the", "my", "our", "home", "work"}, first) {
			continue
		}
		return m[1]
	}
	return ""
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

var months = []string{"january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december"}

var numberWords = map[string]int{"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "fourteen": 14, "thirty": 30}

// MaxAskDays bounds the range a question may ask about.
const MaxAskDays = 31

// askRange is the local dates a question asks about, inclusive, and the words that said so.
type askRange struct {
	From, To engine.Date
	Said     string
}

// Days counts the dates of the range.
func (r askRange) Days() int { return r.From.DaysUntil(r.To) + 1 }

var (
	isoDateRE  = regexp.MustCompile(`\b(\d{4}-\d{2}-\d{2})\b`)
	nextDaysRE = regexp.MustCompile(`\b(?:next|coming|following)\s+(\d{1,2}|[a-z]+)\s+days?\b`)
)

// rangeOf reads the dates a question asks about, relative to today (the local date at the
// place). Without any, it is the next seven days, as the forward search's default.
func rangeOf(q string, today engine.Date) (askRange, error) {
	lower := strings.ToLower(q)
	words := askWords(q)
	days := func(from engine.Date, n int, said string) askRange {
		return askRange{From: from, To: from.AddDays(n - 1), Said: said}
	}
	wd := today.Midnight(time.UTC).Weekday()
	untilSunday := (7 - int(wd)) % 7 // days after today up to Sunday
	if m := isoDateRE.FindStringSubmatch(lower); m != nil {
		d, err := engine.ParseDate("question", m[1])
		if err != nil {
			return askRange{}, err
		}
		if today.DaysUntil(d) < 0 {
			return askRange{}, &engine.FieldError{Field: "question", Reason: "asks about " + m[1] + ", which has passed"}
		}
		if today.DaysUntil(d) >= engine.MaxRangeDays {
			return askRange{}, &engine.FieldError{Field: "question", Reason: fmt.Sprintf("asks about %s: at most %d days ahead", m[1], engine.MaxRangeDays)}
		}
		return days(d, 1, m[1]), nil
	}
	if m := nextDaysRE.FindStringSubmatch(lower); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			n = numberWords[m[1]]
		}
		if n >= 1 {
			if n > MaxAskDays {
				return askRange{}, &engine.FieldError{Field: "question", Reason: fmt.Sprintf("asks about %d days: at most %d", n, MaxAskDays)}
			}
			return days(today, n, strings.TrimSpace(m[0])), nil
		}
	}
	switch {
	case containsPhrase(words, "day after tomorrow"):
		return days(today.AddDays(2), 1, "the day after tomorrow"), nil
	case containsPhrase(words, "tomorrow"):
		return days(today.AddDays(1), 1, "tomorrow"), nil
	case containsPhrase(words, "today"), containsPhrase(words, "tonight"), containsPhrase(words, "now"):
		return days(today, 1, "today"), nil
	case containsPhrase(words, "next weekend"):
		sat := today.AddDays((int(time.Saturday) - int(wd) + 7) % 7)
		if wd == time.Saturday || wd == time.Sunday {
			sat = today.AddDays(untilSunday + 6)
		}
		return days(sat, 2, "next weekend"), nil
	case containsPhrase(words, "weekend"):
		if wd == time.Saturday || wd == time.Sunday {
			return askRange{From: today, To: today.AddDays(untilSunday), Said: "this weekend"}, nil
		}
		return days(today.AddDays(int(time.Saturday)-int(wd)), 2, "this weekend"), nil
	case containsPhrase(words, "next week"):
		return days(today.AddDays(untilSunday+1), 7, "next week"), nil
	case containsPhrase(words, "this week"):
		return askRange{From: today, To: today.AddDays(untilSunday), Said: "this week"}, nil
	case containsPhrase(words, "next month"):
		first := engine.Date{Year: today.Year, Month: today.Month, Day: 1}.Midnight(time.UTC).AddDate(0, 1, 0)
		last := first.AddDate(0, 1, -1)
		return askRange{From: engine.DateOf(first), To: engine.DateOf(last), Said: "next month"}, nil
	case containsPhrase(words, "this month"):
		last := engine.Date{Year: today.Year, Month: today.Month, Day: 1}.Midnight(time.UTC).AddDate(0, 1, -1)
		return askRange{From: today, To: engine.DateOf(last), Said: "this month"}, nil
	}
	for i, w := range words {
		day, ok := weekdays[w]
		if !ok {
			continue
		}
		ahead := (int(day) - int(wd) + 7) % 7
		said := w
		if i > 0 && words[i-1] == "next" {
			said = "next " + w
			if ahead == 0 {
				ahead = 7
			}
		}
		return days(today.AddDays(ahead), 1, said), nil
	}
	return days(today, engine.DefaultSearchDays, "the next 7 days"), nil
}

// askStopWords carry no activity: question words, dates, places and politeness.
var askStopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`when what which where should could would shall will can may might best good better
		ideal right time times hour hours moment window windows auspicious favourable favorable lucky day days
		this that next coming following week weeks weekend month months today tonight tomorrow now after before
		the and for with from into our your their mine you them they about around near some any there here please
		find give tell show want need going planning plan-to astrotiming planetary does did done have has had been
		being are was were its it's i'm i'd we'd let`) {
		askStopWords[w] = true
	}
	for w := range weekdays {
		askStopWords[w] = true
	}
	for _, w := range months {
		askStopWords[w] = true
	}
}

// activityOf finds the activity a question names: its words without the place, the dates and
// question words, ranked by the engine's activity search.
func activityOf(q, placeName string) (engine.Activity, error) {
	skip := map[string]bool{}
	for _, w := range askWords(placeName) {
		skip[w] = true
	}
	var kept []string
	size := 0
	for _, w := range askWords(q) {
		if len(w) < 3 || askStopWords[w] || skip[w] || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
			continue
		}
		if size+len(w)+1 > 100 {
			break
		}
		kept = append(kept, w)
		size += len(w) + 1
	}
	if len(kept) > 0 {
		if found := engine.SearchActivities(strings.Join(kept, " "), 1); len(found) > 0 {
			return found[0], nil
		}
	}
	return engine.Activity{}, &engine.FieldError{Field: "question",
		Reason: "names no activity AstroTiming knows (see GET /api/v1/activities), or send activity"}
}
