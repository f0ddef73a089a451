package snapify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/alorig/alorig/modules/snapify"
	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/alorig/alorig/modules/snapify/whatsapp/whatsapptest"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

const adminHost = "admin.snapify.localhost"

// adminLogin signs the seeded development admin in on the admin host and returns the token.
func adminLogin(t *testing.T, env *testkit.Env) string {
	t.Helper()
	res, body := env.Do("POST", adminHost, "/api/v1/admin/login", nil,
		`{"email":"`+snapify.DevAdminEmail+`","password":"`+snapify.DevAdminPassword+`"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	tok := between(body, `"token":"`, `"`)
	require.NotEmpty(t, tok)
	return tok
}

type auditRow struct {
	ID           int64  `json:"id"`
	Actor        string `json:"actor"`
	Action       string `json:"action"`
	TargetType   string `json:"target_type"`
	TargetID     int64  `json:"target_id"`
	TargetLabel  string `json:"target_label"`
	Reason       string `json:"reason"`
	Outcome      string `json:"outcome"`
	Notice       string `json:"notice"`
	NoticeDetail string `json:"notice_detail"`
}

func auditLog(t *testing.T, env *testkit.Env, tok, query string) []auditRow {
	t.Helper()
	res, body := env.Do("GET", adminHost, "/api/v1/admin/audit"+query, bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	var out struct {
		Entries []auditRow `json:"entries"`
		Total   int        `json:"total"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	require.Equal(t, len(out.Entries), min(out.Total, 50))
	return out.Entries
}

func storeID(t *testing.T, env *testkit.Env, slug string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT id FROM stores WHERE slug = ?", slug).Scan(context.Background(), &id))
	return id
}

// Admins sign in with email and password on the admin host only; an account without the admin
// role is refused like a wrong password and keeps no session; the sign-in is audited.
func TestAdminSignIn(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	good := `{"email":"` + snapify.DevAdminEmail + `","password":"` + snapify.DevAdminPassword + `"}`
	env.Run(t, []testkit.Scenario{
		{Name: "not on the store host", Method: "POST", Host: host, Path: "/api/v1/admin/login", Body: good, Status: 404, Contains: []string{"ADMIN_HOST_ONLY"}},
		{Name: "not on the seller app host", Method: "POST", Host: "app.snapify.localhost", Path: "/api/v1/admin/login", Body: good, Status: 404},
		{Name: "wrong password", Method: "POST", Host: adminHost, Path: "/api/v1/admin/login",
			Body: `{"email":"` + snapify.DevAdminEmail + `","password":"not-the-password"}`, Status: 401, Contains: []string{"INVALID_CREDENTIALS"}},
		{Name: "bad email", Method: "POST", Host: adminHost, Path: "/api/v1/admin/login", Body: `{"email":"nope","password":"x"}`, Status: 422},
		{Name: "unknown field", Method: "POST", Host: adminHost, Path: "/api/v1/admin/login", Body: `{"email":"a@b.pk","password":"x","role":"admin"}`, Status: 400},
	})

	// A member with a password (sellers have none, but an account could) is refused the same way.
	mounted := env.Mounted("snapify")
	hash, err := auth.HashPassword("member-password-1")
	require.NoError(t, err)
	var uid int64
	require.NoError(t, mounted.DB.NewRaw(`INSERT INTO users (email, password_hash, display_name, role, created_at, updated_at)
		VALUES ('member@example.pk', ?, 'Member', 'member', now(), now()) RETURNING id`, hash).Scan(context.Background(), &uid))
	res, body := env.Do("POST", adminHost, "/api/v1/admin/login", nil, `{"email":"member@example.pk","password":"member-password-1"}`)
	require.Equal(t, http.StatusUnauthorized, res.StatusCode, body)
	require.Contains(t, body, "INVALID_CREDENTIALS")
	require.Empty(t, res.Header.Values("Set-Cookie"), "a refused sign-in sets no cookie")
	var live int
	require.NoError(t, mounted.DB.NewRaw("SELECT count(*) FROM sessions WHERE user_id = ? AND revoked_at IS NULL", uid).Scan(context.Background(), &live))
	require.Zero(t, live, "the non-admin's session is ended at once")

	tok := adminLogin(t, env)
	res, body = env.Do("GET", adminHost, "/api/v1/auth/me", bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	require.Contains(t, body, `"role":"admin"`)
	rows := auditLog(t, env, tok, "?action=sign_in")
	require.Len(t, rows, 1)
	require.Equal(t, snapify.DevAdminEmail, rows[0].Actor)

	// The development admin has no WhatsApp number: the sellers' code cannot sign it in.
	var phone *string
	require.NoError(t, mounted.DB.NewRaw("SELECT phone FROM users WHERE email = ?", snapify.DevAdminEmail).Scan(context.Background(), &phone))
	require.Nil(t, phone)
}

// Every admin route: 401 signed out, 403 for a seller, and the admin's answer.
func TestAdminRoutesNeedTheAdminRole(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	seller := bearer(signIn(t, env, "03001234567")) // Ali Fabrics' own seller
	adm := bearer(adminLogin(t, env))
	id := storeID(t, env, "ali-fabrics")
	var productID int64
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT min(id) FROM products WHERE store_id = ?", id).Scan(context.Background(), &productID))
	routes := []struct{ method, path, body string }{
		{"GET", "/api/v1/admin/stores", ""},
		{"GET", fmt.Sprintf("/api/v1/admin/stores/%d", id), ""},
		{"POST", fmt.Sprintf("/api/v1/admin/stores/%d/verify", id), `{"verified":true}`},
		{"POST", fmt.Sprintf("/api/v1/admin/stores/%d/suspend", id), `{"reason":"Fake listings reported"}`},
		{"POST", fmt.Sprintf("/api/v1/admin/stores/%d/unsuspend", id), `{"reason":"Cleared"}`},
		{"POST", fmt.Sprintf("/api/v1/admin/stores/%d/plan", id), `{"plan":"free"}`},
		{"GET", "/api/v1/admin/products", ""},
		{"POST", fmt.Sprintf("/api/v1/admin/products/%d/moderate", productID), `{"status":"active"}`},
		{"GET", "/api/v1/admin/metrics", ""},
		{"GET", "/api/v1/admin/audit", ""},
	}
	var sc []testkit.Scenario
	for _, r := range routes {
		sc = append(sc,
			testkit.Scenario{Name: "signed out " + r.method + " " + r.path, Method: r.method, Host: adminHost, Path: r.path, Body: r.body, Status: 401},
			testkit.Scenario{Name: "seller " + r.method + " " + r.path, Method: r.method, Host: adminHost, Path: r.path, Header: seller, Body: r.body,
				Status: 403, Contains: []string{"FORBIDDEN"}})
	}
	for _, r := range routes {
		sc = append(sc, testkit.Scenario{Name: "admin " + r.method + " " + r.path, Method: r.method, Host: adminHost, Path: r.path, Header: adm, Body: r.body, Status: 200})
	}
	env.Run(t, sc)

	// Each of the six actions left exactly one row, newest first, besides the sign-in.
	rows := auditLog(t, env, between(adm["Authorization"], "Bearer ", "\n"), "")
	var actions []string
	for _, r := range rows {
		actions = append(actions, r.Action)
	}
	require.Equal(t, []string{"approve_product", "set_plan", "unsuspend", "suspend", "verify", "sign_in"}, actions)
	require.Equal(t, "Fake listings reported", rows[3].Reason)
	require.Equal(t, "ali-fabrics", rows[3].TargetLabel)
	require.Equal(t, "already verified", rows[4].Outcome) // the seed verified Ali Fabrics
	require.Equal(t, "none", rows[4].Notice)              // nothing changed: nobody is told
}

// Without WhatsApp configured the seller is not told, and the answer and the audit say so.
func TestAdminSuspendOfflineSaysTheSellerWasNotTold(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	adm := bearer(adminLogin(t, env))
	id := storeID(t, env, "noor-boutique")
	env.Run(t, []testkit.Scenario{
		{Name: "a reason is required", Method: "POST", Host: adminHost, Path: fmt.Sprintf("/api/v1/admin/stores/%d/suspend", id), Header: adm,
			Body: `{"reason":"  x "}`, Status: 422, Contains: []string{`"field":"reason"`, "3 to 500"}},
		{Name: "no body", Method: "POST", Host: adminHost, Path: fmt.Sprintf("/api/v1/admin/stores/%d/suspend", id), Header: adm,
			Body: `{}`, Status: 422, Contains: []string{`"field":"reason"`}},
		{Name: "missing store", Method: "POST", Host: adminHost, Path: "/api/v1/admin/stores/99999/suspend", Header: adm,
			Body: `{"reason":"Counterfeit goods"}`, Status: 404},
		{Name: "suspend", Method: "POST", Host: adminHost, Path: fmt.Sprintf("/api/v1/admin/stores/%d/suspend", id), Header: adm,
			Body: `{"reason":"Counterfeit goods reported by buyers"}`, Status: 200,
			Contains: []string{`"suspended_reason":"Counterfeit goods reported by buyers"`, `"notice":"not_sent"`, "WhatsApp is not configured"}},
		{Name: "the store's pages are gone", Host: host, Path: "/noor-boutique", Status: 404},
		{Name: "the list filters suspended", Host: adminHost, Path: "/api/v1/admin/stores?status=suspended", Header: adm, Status: 200,
			Contains: []string{`"slug":"noor-boutique"`, `"total":1`}, NotContains: []string{"ali-fabrics"}},
		{Name: "verify with a reason", Method: "POST", Host: adminHost, Path: fmt.Sprintf("/api/v1/admin/stores/%d/verify", id), Header: adm,
			Body: `{"verified":true,"reason":"Documents checked"}`, Status: 200, Contains: []string{`"verified":true`, `"outcome":"verified badge set"`, `"notice":"not_sent"`}},
	})
	rows := auditLog(t, env, between(adm["Authorization"], "Bearer ", "\n"), fmt.Sprintf("?store_id=%d", id))
	require.Len(t, rows, 2, "refused actions write nothing; the two that happened one row each")
	require.Equal(t, "suspend", rows[1].Action)
	require.Equal(t, "not_sent", rows[1].Notice)
	require.Contains(t, rows[1].NoticeDetail, whatsapp.ErrNotConfigured.Error())
}

// With WhatsApp configured the seller gets the approved template with the reason, and the audit
// row moves from queued to sent.
func TestAdminSuspendTellsTheSellerOnWhatsApp(t *testing.T) {
	t.Parallel()
	templates := whatsapptest.SnapifyTemplates()
	templates[snapify.TemplateStoreStatus] = whatsapptest.TemplateSpec{Languages: []string{"en", "ur"}, BodyParams: 3}
	wa := whatsapptest.Start(whatsapptest.Options{Templates: templates})
	t.Cleanup(wa.Close)
	cfg := wa.Config()
	env, _ := seeded(t,
		testkit.WithEnv("ALORIG_SNAPIFY_WHATSAPP_TOKEN", cfg.Token),
		testkit.WithEnv("ALORIG_SNAPIFY_WHATSAPP_PHONE_NUMBER_ID", cfg.PhoneNumberID),
		testkit.WithEnv("ALORIG_SNAPIFY_WHATSAPP_API_BASE", cfg.APIBase))
	env.StartWorkers()
	adm := bearer(adminLogin(t, env))
	id := storeID(t, env, "karachi-gadgets")
	res, body := env.Do("POST", adminHost, fmt.Sprintf("/api/v1/admin/stores/%d/suspend", id), adm, `{"reason":"Selling replica chargers"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	require.Contains(t, body, `"notice":"queued"`)
	require.Contains(t, body, "its custom domain claim released")
	tok := between(adm["Authorization"], "Bearer ", "\n")
	eventually(t, func() bool {
		rows := auditLog(t, env, tok, "?action=suspend")
		return len(rows) == 1 && rows[0].Notice == "sent"
	}, "the seller's message is sent")
	var got []whatsapptest.Message
	for _, m := range wa.Messages() {
		if m.Template == snapify.TemplateStoreStatus {
			got = append(got, m)
		}
	}
	require.Len(t, got, 1)
	require.Equal(t, "923211112222", got[0].To)
	require.Equal(t, []string{"Karachi Gadgets", "has been suspended; buyers cannot see it", "Selling replica chargers"}, got[0].BodyParams)
}

// The moderation queue holds products no admin has looked at since they changed; approving
// takes one out, blocking needs a reason and moves it to the blocked queue, and a seller's
// edit puts an approved product back.
func TestAdminModerationQueue(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	adm := bearer(adminLogin(t, env))
	tok := between(adm["Authorization"], "Bearer ", "\n")
	queue := func(q string) (int, string) {
		res, body := env.Do("GET", adminHost, "/api/v1/admin/products?queue="+q, adm, "")
		require.Equal(t, http.StatusOK, res.StatusCode, body)
		var out struct {
			Total int `json:"total"`
			Items []struct {
				Product struct {
					ID int64 `json:"id"`
				} `json:"product"`
				Store struct {
					Slug string `json:"slug"`
				} `json:"store"`
			} `json:"items"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &out))
		first := ""
		if len(out.Items) > 0 {
			first = fmt.Sprintf("%d@%s", out.Items[0].Product.ID, out.Items[0].Store.Slug)
		}
		return out.Total, first
	}
	pending, first := queue("pending")
	require.Equal(t, 38, pending, "every seeded product awaits a first look")
	pid := strings.Split(first, "@")[0]
	env.Run(t, []testkit.Scenario{
		{Name: "bad queue", Host: adminHost, Path: "/api/v1/admin/products?queue=flagged", Header: adm, Status: 422},
		{Name: "block needs a reason", Method: "POST", Host: adminHost, Path: "/api/v1/admin/products/" + pid + "/moderate", Header: adm,
			Body: `{"status":"blocked"}`, Status: 422, Contains: []string{`"field":"note"`}},
		{Name: "approve", Method: "POST", Host: adminHost, Path: "/api/v1/admin/products/" + pid + "/moderate", Header: adm,
			Body: `{"status":"active"}`, Status: 200, Contains: []string{`"action":"approve_product"`, `"status":"active"`}},
	})
	n, _ := queue("pending")
	require.Equal(t, 37, n)
	_, next := queue("pending")
	nid := strings.Split(next, "@")[0]
	res, body := env.Do("POST", adminHost, "/api/v1/admin/products/"+nid+"/moderate", adm, `{"status":"blocked","note":"Counterfeit brand"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	require.Contains(t, body, `"moderation_note":"Counterfeit brand"`)
	n, _ = queue("pending")
	require.Equal(t, 36, n)
	blocked, b := queue("blocked")
	require.Equal(t, 1, blocked)
	require.Equal(t, nid, strings.Split(b, "@")[0])

	// The seller edits the approved product: it needs a look again.
	var slug string
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT s.slug FROM products p JOIN stores s ON s.id = p.store_id WHERE p.id = ?", pid).Scan(context.Background(), &slug))
	env.Clock.Advance(60_000_000_000)
	_, err := env.Mounted("snapify").DB.NewRaw("UPDATE products SET title = title || ' (new)', updated_at = ? WHERE id = ?", env.Clock.Now(), pid).Exec(context.Background())
	require.NoError(t, err)
	n, _ = queue("pending")
	require.Equal(t, 37, n)

	rows := auditLog(t, env, tok, "?action=block_product")
	require.Len(t, rows, 1)
	require.Equal(t, "Counterfeit brand", rows[0].Reason)
}

// A refused action rolls its audit row back with it: the row and the change are one transaction.
func TestAdminRefusedActionIsNotAudited(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	adm := bearer(adminLogin(t, env))
	id := storeID(t, env, "karachi-gadgets") // Pro, 20 products: too many for Free
	res, body := env.Do("POST", adminHost, fmt.Sprintf("/api/v1/admin/stores/%d/plan", id), adm, `{"plan":"free"}`)
	require.Equal(t, http.StatusConflict, res.StatusCode, body)
	require.Empty(t, auditLog(t, env, between(adm["Authorization"], "Bearer ", "\n"), "?action=set_plan"))
}

// Metrics: headline counts, one entry a day for the period, cities with GMV in integer paisa.
func TestAdminMetrics(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	adm := bearer(adminLogin(t, env))
	env.Run(t, []testkit.Scenario{
		{Name: "days out of range", Host: adminHost, Path: "/api/v1/admin/metrics?days=365", Header: adm, Status: 422, Contains: []string{`"field":"days"`}},
		{Name: "a bad filter", Host: adminHost, Path: "/api/v1/admin/stores?plan=gold&verified=maybe", Header: adm, Status: 422,
			Contains: []string{`"field":"plan"`, `"field":"verified"`}},
		{Name: "filters together", Host: adminHost, Path: "/api/v1/admin/stores?plan=free&verified=true&city=lahore&status=live", Header: adm, Status: 200,
			Contains: []string{`"slug":"ali-fabrics"`, `"total":1`}},
	})
	res, body := env.Do("GET", adminHost, "/api/v1/admin/metrics?days=7", adm, "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	var m snapify.PlatformMetrics
	require.NoError(t, json.Unmarshal([]byte(body), &m))
	require.Equal(t, 3, m.Stores)
	require.Equal(t, 7, m.Days)
	require.Len(t, m.ByDay, 7)
	newStores := 0
	for _, d := range m.ByDay {
		newStores += d.NewStores
	}
	require.Equal(t, 3, newStores, "the seeded stores opened inside the period")
	require.NotEmpty(t, m.ByCity)
	cities := map[string]int{}
	for _, c := range m.ByCity {
		cities[c.City] = c.Stores
	}
	require.Equal(t, 1, cities["Lahore"])
	require.Equal(t, 1, cities["Karachi"])
}
