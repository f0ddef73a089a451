package snapify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/cache"
	"github.com/uptrace/bun"
	"golang.org/x/net/publicsuffix"
)

// A Pro store's custom domain starts as a claim: the seller publishes the claim's token in a
// TXT record at _alorig-verify.<domain>, and only once DNS shows it is the domain served,
// answered yes by the TLS ask and linked as canonical. Proof is what makes a claim exclusive,
// so a pending claim blocks nobody, and a later proof (the domain changed hands) takes the
// domain from the store that proved it before.

// Resolver looks up TXT records; *net.Resolver is one. Tests give the module a fake.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
}

// verifyPrefix is the label the proof lives under, shared with Site Builder's custom domains.
const verifyPrefix = "_alorig-verify."

// pendingClaimTTL is how long an unproven claim waits for its record before it is dropped.
const pendingClaimTTL = 7 * 24 * time.Hour

// dnsTimeout bounds one lookup; a slow name server must not hold a request or the job.
const dnsTimeout = 5 * time.Second

// domainVerifyLimit bounds the DNS lookups one store can cause through the verify endpoint.
var domainVerifyLimit = cache.PerMinute(6)

func verifyRecordName(domain string) string { return verifyPrefix + domain }

// domainRecord is the DNS record a seller publishes to prove a claim.
type domainRecord struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

func newDomainToken() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// extraZones are platform names no module lists among its hosts: Site Builder serves every
// <slug>.alorig.site from its database, and .localhost names are development's.
var extraZones = []string{"alorig.site", "alorig.com", "snapify.pk", "localhost"}

// isPlatformName reports whether d belongs to the platform (any module's host or zone, in
// this process's configuration or not), is an IP address, or is a public suffix nobody owns.
func (m *Module) isPlatformName(d string) bool {
	if _, err := netip.ParseAddr(d); err == nil {
		return true
	}
	if etld1, err := publicsuffix.EffectiveTLDPlusOne(d); err != nil || etld1 == "" {
		return true
	}
	zones := append([]string(nil), extraZones...)
	add := func(h string) {
		h = strings.ToLower(h)
		zones = append(zones, h)
		if z, err := publicsuffix.EffectiveTLDPlusOne(h); err == nil {
			zones = append(zones, z)
		}
	}
	for _, mc := range m.d.Config.Modules {
		for _, h := range append(append([]string(nil), mc.Hosts...), mc.SurfaceHost...) {
			add(h)
		}
	}
	if u, err := url.Parse(m.d.Config.Snapify.PublicBaseURL); err == nil && u.Hostname() != "" {
		add(u.Hostname())
	}
	for _, z := range zones {
		if d == z || strings.HasSuffix(d, "."+z) {
			return true
		}
	}
	return false
}

// claimDomain records d as the store's pending claim with a fresh token (s is changed; the
// caller writes it). Claiming the domain it already has changes nothing.
func (m *Module) claimDomain(s *Store, d string) error {
	if s.CustomDomain != nil && *s.CustomDomain == d {
		return nil
	}
	if s.Tier != "pro" {
		return ErrProOnly
	}
	if m.isPlatformName(d) {
		return ErrPlatformDomain
	}
	now := m.d.Clock.Now()
	s.CustomDomain, s.DomainToken, s.DomainClaimedAt, s.DomainVerifiedAt = &d, newDomainToken(), &now, nil
	return nil
}

// domainProven asks DNS whether the store's claim is proven. A name that does not exist is a
// plain no; any other lookup failure is an error, so a flaky name server changes nothing.
func (m *Module) domainProven(ctx context.Context, s *Store) (bool, error) {
	if s.CustomDomain == nil || s.DomainToken == "" {
		return false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, dnsTimeout)
	defer cancel()
	records, err := m.resolver.LookupTXT(ctx, verifyRecordName(*s.CustomDomain))
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("snapify: look up %s: %w", verifyRecordName(*s.CustomDomain), err)
	}
	for _, r := range records {
		if strings.TrimSpace(r) == s.DomainToken {
			return true, nil
		}
	}
	return false, nil
}

// errClaimChanged is a claim that changed (or went) between the DNS check and the write.
var errClaimChanged = errors.New("snapify: the domain claim changed while it was checked")

// markVerified makes a proven claim the domain's one active claim: any store that proved it
// before loses it, in the same transaction. s is updated from the row.
func (m *Module) markVerified(ctx context.Context, s *Store) error {
	d, token := *s.CustomDomain, s.DomainToken
	now := m.d.Clock.Now()
	var losers []Store
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if losers, err = releaseProvenDomain(ctx, tx, s.ID, d, now); err != nil {
			return err
		}
		for i := range losers {
			if err := m.invalidateTx(ctx, tx, &losers[i]); err != nil {
				return err
			}
		}
		if err := markDomainVerified(ctx, tx, s, d, token, now); err != nil {
			return err // errClaimChanged, ErrDomainTaken or a failure
		}
		return m.invalidateTx(ctx, tx, s)
	})
	if err != nil {
		return err
	}
	for _, l := range losers {
		m.d.Log.Info("snapify: custom domain moved to the store that proved it", "domain", d, "from_store", l.ID, "to_store", s.ID)
	}
	_ = m.forgetDomain(ctx, d)
	return nil
}

// VerifyDomain checks the store's claim in DNS now and, when its record holds the token, makes
// it the domain's one active claim (s is updated). A claim already proven is answered as it is.
func (m *Module) VerifyDomain(ctx context.Context, s *Store) (*Store, error) {
	if s.CustomDomain == nil {
		return nil, ErrNoDomainClaim
	}
	if s.DomainVerifiedAt != nil {
		return s, nil
	}
	if s.Tier != "pro" {
		return nil, ErrProOnly
	}
	if res, err := m.d.KV.Allow(ctx, fmt.Sprintf("domain-verify:%d", s.ID), domainVerifyLimit, m.d.Clock.Now()); err != nil {
		return nil, err
	} else if !res.Allowed {
		return nil, &RateLimitError{Result: res, Detail: "the domain was checked a moment ago; DNS changes take minutes to show"}
	}
	rec := verifyRecordName(*s.CustomDomain)
	ok, err := m.domainProven(ctx, s)
	if err != nil {
		m.d.Log.Warn("snapify: domain lookup failed", "domain", *s.CustomDomain, "err", err)
		return nil, &DNSError{Record: rec, Cause: err}
	}
	if !ok {
		return nil, &DomainUnprovenError{Record: rec, Value: s.DomainToken}
	}
	if err := m.markVerified(ctx, s); err != nil {
		return nil, err // errClaimChanged, ErrDomainTaken or a failure
	}
	return s, nil
}

// CheckDomains is the periodic re-check: pending claims whose record has appeared become
// verified, and claims still unproven after pendingClaimTTL (or left on a store that is no
// longer a live Pro store) are dropped. It returns how many claims it verified.
func (m *Module) CheckDomains(ctx context.Context) (int, error) {
	now := m.d.Clock.Now()
	dropped, err := dropStaleDomainClaims(ctx, m.d.DB, now.Add(-pendingClaimTTL), now)
	if err != nil {
		return 0, err
	}
	for _, d := range dropped {
		_ = m.pages.invalidate(ctx, d.Slug, d.Domain)
	}
	pending, err := pendingDomainClaims(ctx, m.d.DB, 500)
	if err != nil {
		return 0, err
	}
	verified := 0
	for i := range pending {
		s := &pending[i]
		ok, err := m.domainProven(ctx, s)
		if err != nil {
			m.d.Log.Warn("snapify: domain lookup failed", "domain", *s.CustomDomain, "err", err)
			continue
		}
		if !ok {
			continue
		}
		if err := m.markVerified(ctx, s); err != nil {
			if errors.Is(err, errClaimChanged) {
				continue
			}
			return verified, err
		}
		verified++
	}
	return verified, nil
}
