package engine

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Domain is the seed's Al Saat planet–domain mapping: what each planet's hour favours.
type Domain struct {
	Planet       Planet   `json:"planet"`
	ArabicName   string   `json:"arabic_name"`
	ArabicScript string   `json:"arabic_script"`
	Domains      []string `json:"domains"`
}

// Domains lists the seven planetary domains of Al Saat (Kash Al Barni) as the product uses them.
func Domains() []Domain {
	d := []Domain{
		{Planet: Sun, Domains: []string{"leadership", "health", "government", "recognition"}},
		{Planet: Moon, Domains: []string{"travel", "social", "domestic", "emotional"}},
		{Planet: Mars, Domains: []string{"physical action", "competition", "bold ventures"}},
		{Planet: Mercury, Domains: []string{"writing", "commerce", "learning", "technology"}},
		{Planet: Jupiter, Domains: []string{"business expansion", "education", "spiritual"}},
		{Planet: Venus, Domains: []string{"arts", "relationships", "beauty", "social"}},
		{Planet: Saturn, Domains: []string{"organization", "long-term projects", "boundaries"}},
	}
	for i := range d {
		d[i].ArabicName = d[i].Planet.ArabicName()
		d[i].ArabicScript = d[i].Planet.ArabicScript()
	}
	return d
}

// Activity is something a user wants to time. Planet is its significator (the ruler whose hour
// suits it best); Also lists planets whose domains share it, which earn partial credit.
type Activity struct {
	Key      string   `json:"key"`
	Name     string   `json:"name"`
	Planet   Planet   `json:"planet"`
	Also     []Planet `json:"also,omitempty"`
	Domain   string   `json:"domain"`
	Synonyms []string `json:"synonyms"`
}

// secondary reports whether p is one of the activity's secondary planets.
func (a Activity) secondary(p Planet) bool {
	for _, q := range a.Also {
		if q == p {
			return true
		}
	}
	return false
}

// activities is the vocabulary. Each entry's planet follows the seed's domains; synonyms are the
// phrases users type.
var activities = []Activity{
	{Key: "sign_contract", Name: "Sign a contract", Planet: Mercury, Also: []Planet{Jupiter}, Domain: "commerce", Synonyms: []string{"contract", "sign agreement", "signing", "deal", "close deal", "agreement", "paperwork"}},
	{Key: "negotiation", Name: "Negotiate", Planet: Mercury, Also: []Planet{Venus}, Domain: "commerce", Synonyms: []string{"negotiate", "bargain", "haggle", "mediation"}},
	{Key: "buy_sell", Name: "Buy or sell", Planet: Mercury, Also: []Planet{Jupiter}, Domain: "commerce", Synonyms: []string{"buy", "sell", "trade", "purchase", "sale", "shopping", "market"}},
	{Key: "writing", Name: "Write", Planet: Mercury, Domain: "writing", Synonyms: []string{"write", "blog", "article", "book", "email", "letter", "publish", "journal"}},
	{Key: "study", Name: "Study or take an exam", Planet: Mercury, Also: []Planet{Jupiter}, Domain: "learning", Synonyms: []string{"exam", "test", "learn", "revision", "homework", "course", "research"}},
	{Key: "technology", Name: "Technology work", Planet: Mercury, Domain: "technology", Synonyms: []string{"coding", "programming", "software", "release", "deploy", "launch app", "computer", "website"}},
	{Key: "communication", Name: "Important conversation or call", Planet: Mercury, Also: []Planet{Moon}, Domain: "writing", Synonyms: []string{"call", "phone call", "message", "announcement", "interview a candidate", "podcast"}},
	{Key: "job_interview", Name: "Job interview", Planet: Sun, Also: []Planet{Jupiter, Mercury}, Domain: "recognition", Synonyms: []string{"interview", "job", "apply for job", "hiring interview", "audition"}},
	{Key: "ask_promotion", Name: "Ask for a raise or promotion", Planet: Sun, Also: []Planet{Jupiter}, Domain: "recognition", Synonyms: []string{"raise", "promotion", "salary", "appraisal", "performance review"}},
	{Key: "public_speaking", Name: "Public speaking or presentation", Planet: Sun, Also: []Planet{Mercury}, Domain: "recognition", Synonyms: []string{"speech", "presentation", "pitch", "keynote", "lecture", "award"}},
	{Key: "government", Name: "Deal with government or officials", Planet: Sun, Also: []Planet{Jupiter}, Domain: "government", Synonyms: []string{"visa", "permit", "license", "passport", "court", "official", "authority", "tax office"}},
	{Key: "leadership", Name: "Leadership decision", Planet: Sun, Domain: "leadership", Synonyms: []string{"lead", "management", "decision", "board meeting", "take charge", "campaign"}},
	{Key: "health", Name: "Health and medical care", Planet: Sun, Also: []Planet{Moon}, Domain: "health", Synonyms: []string{"doctor", "checkup", "medical", "treatment", "medicine", "clinic", "healing", "diet"}},
	{Key: "surgery", Name: "Surgery", Planet: Mars, Also: []Planet{Sun}, Domain: "physical action", Synonyms: []string{"operation", "surgical", "dentist", "tooth extraction", "procedure", "cut"}},
	{Key: "exercise", Name: "Exercise or sport", Planet: Mars, Domain: "physical action", Synonyms: []string{"workout", "gym", "sports", "training", "run", "hiking", "martial arts"}},
	{Key: "competition", Name: "Competition", Planet: Mars, Also: []Planet{Sun}, Domain: "competition", Synonyms: []string{"contest", "match", "tournament", "race", "debate", "lawsuit", "litigation", "confrontation"}},
	{Key: "bold_venture", Name: "Bold venture", Planet: Mars, Also: []Planet{Jupiter}, Domain: "bold ventures", Synonyms: []string{"risk", "adventure", "start something daring", "challenge", "fight"}},
	{Key: "start_business", Name: "Start or expand a business", Planet: Jupiter, Also: []Planet{Mercury, Sun}, Domain: "business expansion", Synonyms: []string{"launch", "open shop", "business launch", "expand", "expansion", "new venture", "startup", "grand opening"}},
	{Key: "investment", Name: "Invest", Planet: Jupiter, Also: []Planet{Saturn}, Domain: "business expansion", Synonyms: []string{"invest", "investing", "stocks", "loan", "finance", "funding", "raise capital"}},
	{Key: "education", Name: "Teach or begin an education", Planet: Jupiter, Also: []Planet{Mercury}, Domain: "education", Synonyms: []string{"teach", "enroll", "school", "university", "admission", "graduation", "mentor"}},
	{Key: "spiritual", Name: "Spiritual practice", Planet: Jupiter, Also: []Planet{Moon}, Domain: "spiritual", Synonyms: []string{"prayer", "meditation", "dua", "worship", "retreat", "charity", "pilgrimage", "umrah"}},
	{Key: "legal_advice", Name: "Seek legal or professional advice", Planet: Jupiter, Also: []Planet{Mercury}, Domain: "business expansion", Synonyms: []string{"lawyer", "consultant", "advice", "counsel", "accountant"}},
	{Key: "wedding", Name: "Wedding or engagement", Planet: Venus, Also: []Planet{Jupiter, Moon}, Domain: "relationships", Synonyms: []string{"marriage", "nikah", "engagement", "propose", "proposal", "marry"}},
	{Key: "romance", Name: "Date or romance", Planet: Venus, Also: []Planet{Moon}, Domain: "relationships", Synonyms: []string{"date", "first date", "romance", "love", "reconcile", "apology"}},
	{Key: "art", Name: "Art and creative work", Planet: Venus, Domain: "arts", Synonyms: []string{"painting", "music", "design", "creative", "photography", "perform", "concert", "craft"}},
	{Key: "beauty", Name: "Beauty and appearance", Planet: Venus, Domain: "beauty", Synonyms: []string{"haircut", "salon", "makeup", "clothes", "fashion", "spa", "decorate", "jewellery"}},
	{Key: "party", Name: "Party or social gathering", Planet: Venus, Also: []Planet{Moon}, Domain: "social", Synonyms: []string{"celebration", "dinner", "gathering", "socialize", "networking", "friends", "birthday"}},
	{Key: "travel", Name: "Travel", Planet: Moon, Also: []Planet{Mercury}, Domain: "travel", Synonyms: []string{"trip", "journey", "flight", "fly", "drive", "road trip", "vacation", "holiday", "safar"}},
	{Key: "move_house", Name: "Move house or domestic matters", Planet: Moon, Also: []Planet{Saturn}, Domain: "domestic", Synonyms: []string{"moving", "relocate", "home", "house", "cleaning", "cooking", "renovate", "family"}},
	{Key: "emotional_talk", Name: "Emotional conversation", Planet: Moon, Also: []Planet{Venus}, Domain: "emotional", Synonyms: []string{"therapy", "counselling", "heart to heart", "comfort", "visit family", "reconnect"}},
	{Key: "public_relations", Name: "Meet the public", Planet: Moon, Also: []Planet{Venus}, Domain: "social", Synonyms: []string{"public", "customers", "open house", "marketing", "social media", "sales calls"}},
	{Key: "planning", Name: "Planning and organising", Planet: Saturn, Also: []Planet{Mercury}, Domain: "organization", Synonyms: []string{"plan", "organize", "organise", "schedule", "budget", "declutter", "admin", "bookkeeping"}},
	{Key: "long_term_project", Name: "Begin a long-term project", Planet: Saturn, Also: []Planet{Jupiter}, Domain: "long-term projects", Synonyms: []string{"construction", "build", "foundation", "real estate", "property", "agriculture", "planting", "buy land"}},
	{Key: "boundaries", Name: "Set boundaries or end something", Planet: Saturn, Domain: "boundaries", Synonyms: []string{"quit", "end", "breakup", "resign", "say no", "break habit", "fast", "pay debt", "debt"}},
}

// Activities returns the vocabulary in a stable order.
func Activities() []Activity {
	out := make([]Activity, len(activities))
	copy(out, activities)
	return out
}

// ErrUnknownActivity: no activity matches the query.
var ErrUnknownActivity = errors.New("astrotiming: unknown activity")

// normalise lower-cases, keeps letters and digits, and joins words with single spaces, so
// "Sign-Contract", "sign_contract" and "  sign   contract " read the same.
func normalise(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

var activityIndex = func() map[string]int {
	m := map[string]int{}
	for i, a := range activities {
		for _, k := range append([]string{a.Key, a.Name}, a.Synonyms...) {
			if _, dup := m[normalise(k)]; !dup {
				m[normalise(k)] = i
			}
		}
	}
	return m
}()

// maxQueryLen bounds what a caller may send as an activity.
const maxQueryLen = 100

// LookupActivity finds an activity by key, name or synonym (case, spacing and punctuation are
// ignored), falling back to the best SearchActivities match.
func LookupActivity(q string) (Activity, error) {
	if len(q) > maxQueryLen {
		return Activity{}, &FieldError{Field: "activity", Reason: fmt.Sprintf("longer than %d bytes", maxQueryLen)}
	}
	n := normalise(q)
	if n == "" {
		return Activity{}, &FieldError{Field: "activity", Reason: "is required"}
	}
	if i, ok := activityIndex[n]; ok {
		return activities[i], nil
	}
	if found := SearchActivities(q, 1); len(found) > 0 {
		return found[0], nil
	}
	return Activity{}, fmt.Errorf("%w: %q", ErrUnknownActivity, clip(q))
}

// SearchActivities ranks activities by the query words they match: a whole word of the key, name
// or a synonym counts 3, a whole word of the domain 2, a prefix of at least 3 letters 1. At most
// limit results, ties in vocabulary order; none when nothing matches.
func SearchActivities(q string, limit int) []Activity {
	if len(q) > maxQueryLen || limit <= 0 {
		return nil
	}
	words := strings.Fields(normalise(q))
	if len(words) == 0 {
		return nil
	}
	type hit struct {
		i, score int
	}
	var hits []hit
	for i, a := range activities {
		var vocab []string
		for _, s := range append([]string{a.Key, a.Name}, a.Synonyms...) {
			vocab = append(vocab, strings.Fields(normalise(s))...)
		}
		domain := strings.Fields(normalise(a.Domain))
		score := 0
		for _, w := range words {
			best := 0
			for _, v := range vocab {
				switch {
				case v == w:
					best = 3
				case best < 1 && len(w) >= 3 && strings.HasPrefix(v, w):
					best = 1
				}
			}
			for _, v := range domain {
				if v == w && best < 2 {
					best = 2
				}
			}
			score += best
		}
		if score > 0 {
			hits = append(hits, hit{i, score})
		}
	}
	sort.SliceStable(hits, func(x, y int) bool { return hits[x].score > hits[y].score })
	if len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Activity, len(hits))
	for k, h := range hits {
		out[k] = activities[h.i]
	}
	return out
}
