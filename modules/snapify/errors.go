package snapify

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/alorig/alorig/modules/snapify/media"
	"github.com/alorig/alorig/modules/snapify/payments"
	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/web"
)

// Domain errors: services return them, problem turns them into answers. ErrProductLimit
// (catalog_service.go), ErrBadTransition (order_service.go), ErrBadCode and *CodeWaitError
// (signin_service.go) are the module's too.
var (
	// ErrUnscopedStore is a store handed to a service without the tenant scope that
	// store_access.go grants: a bug in the calling code, answered as the logged 500. Its zero
	// scope would match nothing and an insert would fail on the store's foreign key, hiding
	// the cause.
	ErrUnscopedStore = errors.New("snapify: a store was used without its tenant scope (it did not come through store_access.go)")

	ErrNoProduct      = errors.New("no such product in this store")
	ErrNoCategory     = errors.New("no such category in this store")
	ErrNoOrder        = errors.New("no such order in this store")
	ErrNoSubscription = errors.New("no such subscription in this store")
	// ErrNoStore and ErrNoListedProduct are the admin's: a store or product by id, in any store.
	ErrNoStore         = errors.New("no such store")
	ErrNoListedProduct = errors.New("no such product")

	ErrStoreLimit          = fmt.Errorf("a seller may open at most %d stores", MaxStoresPerSeller)
	ErrPhoneNotVerified    = errors.New("this account has no WhatsApp number proven by a sign-in code; sign in with your WhatsApp number")
	ErrProOnly             = errors.New("custom domains are a Pro feature")
	ErrPlanRequiresPayment = errors.New("the Pro plan is paid: start a checkout with POST /api/v1/stores/{store}/plan/checkout (JazzCash or EasyPaisa)")
	ErrPlatformDomain      = errors.New("is a name of the platform, an address or a public suffix; use a domain you own, such as shop.example.pk")
	ErrUnknownCategory     = errors.New("no such category in this store") // a category_id in a product's fields
	ErrNoDomainClaim       = errors.New("this store claims no domain; set custom_domain in its settings first")
	ErrDomainTaken         = errors.New("another store proved this domain at the same moment")
)

// NoStoreError is a seller's store address that is not one of theirs: another seller's store
// answers exactly like one that does not exist.
type NoStoreError struct{ Slug string }

func (e *NoStoreError) Error() string { return fmt.Sprintf("you have no store %q", e.Slug) }

// SlugTakenError is a store address another store has.
type SlugTakenError struct{ Slug string }

func (e *SlugTakenError) Error() string {
	return fmt.Sprintf("snapify.pk/%s is taken; try %s", e.Slug, rules.WithSuffix(e.Slug, 2, rules.StoreSlugMax))
}

// WrongPhoneError is a store WhatsApp number other than the one the seller proved (Proven).
type WrongPhoneError struct{ Proven string }

func (e *WrongPhoneError) Error() string {
	return "must be the number you signed in with (" + e.Proven + "); to use another, sign in with it"
}

// ForeignImageError is a picture, in field Field, that was not uploaded to the store (Slug).
type ForeignImageError struct{ Field, Slug string }

func (e *ForeignImageError) Error() string {
	return "each picture must be one uploaded to this store (POST /api/v1/stores/" + e.Slug + "/images)"
}

// TooManyForFreeError refuses the move to Free of a store listing Count products.
type TooManyForFreeError struct{ Count int }

func (e *TooManyForFreeError) Error() string {
	return fmt.Sprintf("the store lists %d products; the Free plan allows %d, so remove some first", e.Count, FreeProductLimit)
}

// BlockedError is a seller changing the status of a product moderation blocked (Note says why).
type BlockedError struct{ Note string }

func (e *BlockedError) Error() string { return "this product was blocked by moderation: " + e.Note }

// DomainUnprovenError is a claim whose TXT record (Record) does not hold its token (Value) yet.
type DomainUnprovenError struct{ Record, Value string }

func (e *DomainUnprovenError) Error() string {
	return "no TXT record " + e.Record + " holds this store's token yet; DNS changes can take up to an hour to show"
}

// DNSError is a lookup of Record that failed; the claim is left as it was.
type DNSError struct {
	Record string
	Cause  error
}

func (e *DNSError) Error() string {
	return "DNS did not answer for " + e.Record + "; try again in a few minutes"
}
func (e *DNSError) Unwrap() error { return e.Cause }

// RateLimitError is a request over one of the module's limits; Detail says which.
type RateLimitError struct {
	Result cache.Result
	Detail string
}

func (e *RateLimitError) Error() string { return e.Detail }

// problem maps the module's domain errors to problem+json answers, in this one place. Errors it
// does not know (a *web.Problem a parser made, or a failure) pass through; the error handler
// answers the first as it is and the rest as the logged 500.
func problem(err error) error {
	var (
		noStore   *NoStoreError
		taken     *SlugTakenError
		phone     *WrongPhoneError
		foreign   *ForeignImageError
		tooMany   *TooManyForFreeError
		blocked   *BlockedError
		unproven  *DomainUnprovenError
		dnsErr    *DNSError
		limited   *RateLimitError
		codeWait  *CodeWaitError
		payOff    *payments.NotConfiguredError
		mediaText = func() string { return strings.TrimPrefix(err.Error(), "media: ") }
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &noStore):
		return web.NotFound(noStore.Error()).WithCode("STORE_NOT_FOUND")
	case errors.Is(err, ErrNoProduct), errors.Is(err, ErrNoCategory), errors.Is(err, ErrNoOrder),
		errors.Is(err, ErrNoSubscription), errors.Is(err, ErrNoStore), errors.Is(err, ErrNoListedProduct):
		return web.NotFound(notFoundDetail(err))
	case errors.Is(err, ErrStoreLimit):
		return web.Conflict(ErrStoreLimit.Error()).WithCode("STORE_LIMIT").With("limit", MaxStoresPerSeller)
	case errors.As(err, &taken):
		return web.Conflict(taken.Error()).WithCode("SLUG_TAKEN")
	case errors.Is(err, ErrPhoneNotVerified):
		return web.NewProblem(http.StatusForbidden, ErrPhoneNotVerified.Error()).WithCode("PHONE_NOT_VERIFIED")
	case errors.As(err, &phone):
		return web.Invalid(web.FieldError{Field: "whatsapp_phone", Reason: phone.Error()}).WithCode("PHONE_NOT_VERIFIED")
	case errors.As(err, &foreign):
		return web.Invalid(web.FieldError{Field: foreign.Field, Reason: foreign.Error()}).WithCode("FOREIGN_IMAGE")
	case errors.Is(err, ErrUnknownCategory):
		return web.Invalid(web.FieldError{Field: "category_id", Reason: ErrUnknownCategory.Error()})
	case errors.Is(err, ErrProductLimit):
		return web.Conflict(strings.TrimPrefix(ErrProductLimit.Error(), "snapify: ")).WithCode("PRODUCT_LIMIT").With("limit", FreeProductLimit)
	case errors.As(err, &tooMany):
		return web.Conflict(tooMany.Error()).WithCode("PRODUCT_LIMIT")
	case errors.As(err, &blocked):
		return web.Conflict(blocked.Error()).WithCode("BLOCKED")
	case errors.Is(err, ErrBadTransition):
		return web.Conflict(strings.TrimPrefix(err.Error(), "snapify: ")).WithCode("BAD_TRANSITION")
	case errors.Is(err, ErrPlanRequiresPayment):
		return web.NewProblem(http.StatusPaymentRequired, ErrPlanRequiresPayment.Error()).WithCode("PLAN_REQUIRES_PAYMENT")
	case errors.Is(err, ErrProOnly):
		return web.NewProblem(http.StatusPaymentRequired, ErrProOnly.Error()).WithCode("PRO_ONLY")
	case errors.Is(err, ErrPlatformDomain):
		return web.Invalid(web.FieldError{Field: "custom_domain", Reason: ErrPlatformDomain.Error()}).WithCode("DOMAIN_NOT_ALLOWED")
	case errors.Is(err, ErrNoDomainClaim):
		return web.Conflict(ErrNoDomainClaim.Error()).WithCode("NO_DOMAIN_CLAIM")
	case errors.As(err, &unproven):
		return web.Conflict(unproven.Error()).WithCode("DOMAIN_NOT_VERIFIED").With("record", unproven.Record).With("value", unproven.Value)
	case errors.Is(err, errClaimChanged):
		return web.Conflict("the store's domain changed while it was checked; check again").WithCode("DOMAIN_CLAIM_CHANGED")
	case errors.Is(err, ErrDomainTaken):
		return web.Conflict(ErrDomainTaken.Error()).WithCode("DOMAIN_TAKEN")
	case errors.As(err, &dnsErr):
		return web.NewProblem(http.StatusServiceUnavailable, dnsErr.Error()).WithCode("DNS_LOOKUP_FAILED")
	case errors.As(err, &limited):
		return retryAfter(web.NewProblem(http.StatusTooManyRequests, limited.Detail).WithCode("RATE_LIMITED"), limited.Result.RetryAfter.Seconds())
	case errors.Is(err, ErrBadCode):
		return web.Unauthorized("the code is wrong or has expired; ask for a new one").WithCode("BAD_CODE")
	case errors.As(err, &codeWait):
		code, detail := "SIGNIN_BACKOFF", "too many wrong codes for this number; wait before trying again"
		if codeWait.Locked {
			code, detail = "SIGNIN_LOCKED", fmt.Sprintf("%d wrong codes for this number in 24 hours; sign-in is locked until the day is over", maxCodeFails)
		}
		return retryAfter(web.NewProblem(http.StatusTooManyRequests, detail).WithCode(code), codeWait.Wait.Seconds())
	case errors.As(err, &payOff):
		return web.NewProblem(http.StatusServiceUnavailable, payOff.Error()).WithCode("PAYMENTS_NOT_CONFIGURED").With("missing", payOff.Missing)
	case errors.Is(err, ErrStoreSuspendedPay):
		return web.Conflict(ErrStoreSuspendedPay.Error()).WithCode("STORE_SUSPENDED")
	case errors.Is(err, whatsapp.ErrNotConfigured):
		return web.NewProblem(http.StatusServiceUnavailable, err.Error()).WithCode("WHATSAPP_NOT_CONFIGURED")
	case errors.Is(err, media.ErrTooLarge):
		return web.NewProblem(http.StatusRequestEntityTooLarge, mediaText()).WithCode("IMAGE_TOO_LARGE")
	case errors.Is(err, media.ErrUnsupportedType):
		return web.NewProblem(http.StatusUnsupportedMediaType, mediaText()).WithCode("IMAGE_TYPE")
	case errors.Is(err, media.ErrDimensions):
		return web.NewProblem(http.StatusUnprocessableEntity, mediaText()).WithCode("IMAGE_DIMENSIONS")
	case errors.Is(err, media.ErrCorrupt):
		return web.NewProblem(http.StatusUnprocessableEntity, mediaText()).WithCode("IMAGE_CORRUPT")
	}
	return err
}

// notFoundDetail is the sentence of a not-found error, without the context services wrap it in.
func notFoundDetail(err error) string {
	for _, e := range []error{ErrNoProduct, ErrNoCategory, ErrNoOrder, ErrNoSubscription, ErrNoStore, ErrNoListedProduct} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return err.Error()
}

// retryAfter sets the Retry-After of a 429 to whole seconds, at least one.
func retryAfter(p *web.Problem, seconds float64) *web.Problem {
	p.RetryAfter = max(1, int(seconds+0.999))
	return p
}
