package snapify

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/uptrace/bun/dialect/pgdialect"
)

// SearchHit is a product found by search, with its store and its score.
type SearchHit struct {
	Product
	StoreSlug string  `bun:"store_slug"`
	StoreName string  `bun:"store_name"`
	Rank      float64 `bun:"rank"`
	Total     int     `bun:"total"`
}

// searchTerms splits a query into lower-case words of letters, marks and digits (Urdu
// included), at most six of them.
func searchTerms(q string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	}) {
		if len([]rune(w)) > 30 {
			w = string([]rune(w)[:30])
		}
		out = append(out, w)
		if len(out) == 6 {
			break
		}
	}
	return out
}

// searchScanLimit bounds the matches a query reads: a one-word query over a large catalogue
// can match tens of thousands of products, and reading them all to rank them costs more than
// a phone on 3G waits for. Past the limit, ranking is among the first matches found, and the
// total says "at least" (Total equals searchScanLimit). Buyers refine instead of paging there.
const searchScanLimit = 1000

// searchCandidates is how many of the scanned matches are ranked in full.
const searchCandidates = 200

// Search finds active products of live stores: in one store when t is set, otherwise across
// the platform.
//
// Each query word is looked up in the vocabulary of title words by trigram similarity, so a
// typo or a roman-Urdu spelling variant ("chifon", "kurtee") brings in the words it resembles.
// The full-text query then asks, for every word, for the word itself (as a prefix) or one of
// its look-alikes. Ranking combines the full-text rank (title weighted above description)
// with the trigram word similarity of the whole query to the title, so exact spellings beat
// corrections and title matches beat description matches.
func (m *Module) Search(ctx context.Context, t *storeScope, q string, limit, offset int) ([]SearchHit, int, error) {
	terms := searchTerms(q)
	if len(terms) == 0 {
		return nil, 0, nil
	}
	type alt struct {
		W    string `bun:"w"`
		Word string `bun:"word"`
	}
	var alts []alt
	if err := m.d.DB.NewRaw(`SELECT q.w, sw.word FROM unnest(?::text[]) AS q(w)
		CROSS JOIN LATERAL (SELECT word FROM search_words WHERE length(q.w) >= 3 AND word % q.w AND word <> q.w
			ORDER BY word <-> q.w LIMIT 2) sw`, pgdialect.Array(terms)).Scan(ctx, &alts); err != nil {
		return nil, 0, fmt.Errorf("snapify: search vocabulary for %q: %w", q, err)
	}
	groups := make([]string, 0, len(terms))
	for _, w := range terms {
		opts := []string{"'" + w + "'"}
		if len([]rune(w)) >= 3 {
			opts[0] += ":*"
		}
		for _, a := range alts {
			if a.W == w {
				opts = append(opts, "'"+a.Word+"'")
			}
		}
		groups = append(groups, "("+strings.Join(opts, " | ")+")")
	}
	hits, err := m.searchQuery(ctx, t, strings.Join(groups, " & "), strings.Join(terms, " "), limit, offset)
	if err == nil && len(hits) == 0 && len(groups) > 1 {
		// No product has every word: fall back to any word, still ranked by how many match.
		hits, err = m.searchQuery(ctx, t, strings.Join(groups, " | "), strings.Join(terms, " "), limit, offset)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("snapify: search %q: %w", q, err)
	}
	total := 0
	if len(hits) > 0 {
		total = hits[0].Total
	}
	return hits, total, nil
}

func (m *Module) searchQuery(ctx context.Context, t *storeScope, tsquery, plain string, limit, offset int) ([]SearchHit, error) {
	scope, args := "", []any{tsquery}
	if t != nil {
		scope = "AND p.store_id = ?"
		args = append(args, t.ID())
	}
	args = append(args, max(searchCandidates, offset+limit), plain, limit, offset)
	var hits []SearchHit
	err := m.d.DB.NewRaw(`
		WITH q AS (SELECT to_tsquery('simple', ?) AS tsq),
		m AS MATERIALIZED (
			SELECT p.id, p.store_id, p.search FROM products p, q
			WHERE p.search @@ q.tsq AND p.status = 'active' `+scope+`
			LIMIT `+strconv.Itoa(searchScanLimit)+`),
		c AS MATERIALIZED (
			SELECT m.id, m.store_id, ts_rank(m.search, q.tsq) AS r, count(*) OVER () AS total
			FROM m, q ORDER BY r DESC, m.id DESC LIMIT ?)
		SELECT p.*, s.slug AS store_slug, s.name AS store_name, c.total,
		       c.r * 2 + word_similarity(?, p.title) AS rank
		FROM c JOIN products p ON p.id = c.id JOIN stores s ON s.id = c.store_id AND s.suspended_at IS NULL
		ORDER BY rank DESC, p.id DESC
		LIMIT ? OFFSET ?`, args...).Scan(ctx, &hits)
	return hits, err
}
