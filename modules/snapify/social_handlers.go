package snapify

import (
	"context"
	"net/http"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Handlers of /api/v1/stores/{store}/social: the store's Facebook Page and Instagram account,
// and the posts sent to them. The store comes through withStore (the caller's own, or 404);
// every operation is Pro only (403 PRO_REQUIRED on a Free store).

// socialPostPage is one page of a store's social posts, newest first.
type socialPostPage struct {
	Page  int          `json:"page"`
	Posts []SocialPost `json:"posts"`
	Total int          `json:"total"`
}

const socialPageSize = 50

func (m *Module) apiGetSocial(c echo.Context, s *Store) error {
	out, err := m.SocialSettings(c.Request().Context(), s)
	if err != nil {
		return socialProblem(err)
	}
	return c.JSON(http.StatusOK, out)
}

func (m *Module) apiConnectSocial(c echo.Context, s *Store) error {
	if err := requirePro(s); err != nil { // before reading a token a Free store may not keep
		return socialProblem(err)
	}
	var in SocialConnectInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	out, err := m.ConnectSocial(c.Request().Context(), s, in)
	if err != nil {
		return socialProblem(err)
	}
	return c.JSON(http.StatusOK, out)
}

func (m *Module) apiDisconnectSocial(c echo.Context, s *Store) error {
	if err := m.DisconnectSocial(c.Request().Context(), s); err != nil {
		return socialProblem(err)
	}
	return c.NoContent(http.StatusNoContent)
}

func (m *Module) apiListSocialPosts(c echo.Context, s *Store) error {
	if err := requirePro(s); err != nil {
		return socialProblem(err)
	}
	page := pageParam(c)
	posts, total, err := listSocialPosts(c.Request().Context(), m.d.DB, s.Scope(), socialPageSize, (page-1)*socialPageSize)
	if err != nil {
		return socialProblem(err)
	}
	for i := range posts {
		posts[i].ImageURL = m.files.URL(posts[i].ImageKey)
	}
	return c.JSON(http.StatusOK, socialPostPage{Page: page, Posts: posts, Total: total})
}

// apiCancelSocialPost cancels a post that is still queued.
func (m *Module) apiCancelSocialPost(c echo.Context, s *Store) error {
	if err := requirePro(s); err != nil {
		return socialProblem(err)
	}
	id, err := web.PathID(c, "post_id")
	if err != nil {
		return err
	}
	if err := m.CancelSocialPost(c.Request().Context(), s, id); err != nil {
		return socialProblem(err)
	}
	return c.NoContent(http.StatusNoContent)
}

// CancelSocialPost stops a queued post from going out.
func (m *Module) CancelSocialPost(ctx context.Context, s *Store, id int64) error {
	res, err := m.d.DB.NewUpdate().Model((*SocialPost)(nil)).Set("status = ?", socialCancelled).Set("updated_at = ?", m.d.Clock.Now()).
		Where("store_id = ? AND id = ? AND status = ?", s.Scope().ID(), id, socialQueued).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	if _, err := socialPostByID(ctx, m.d.DB, s.Scope(), id); err != nil {
		return ErrNoSocialPost
	}
	return ErrSocialPostMoved
}

var (
	socialProblems = []int{http.StatusForbidden, http.StatusNotFound}

	getSocialOp = web.Operation{Summary: "The store's Facebook Page and Instagram account for auto-posting (Pro only)",
		Description: "A Free store is 403 PRO_REQUIRED. connection is null until a Page is connected; its status needs_reconnect " +
			"(with last_error) means Meta refused the token and nothing is posted until the seller connects again.",
		Responses: web.OK(socialSettings{}), Problems: socialProblems}
	connectSocialOp = web.Operation{Summary: "Connect a Facebook Page (and its Instagram account) with a Page access token, checked with Meta and stored encrypted",
		Description: "The token must read the Page (and the Instagram account when instagram_user_id is given): 422 META_REFUSED names the field " +
			"(an expired or foreign token, a missing permission). 503 META_UNAVAILABLE when Meta does not answer. Replaces an earlier connection.",
		Request: SocialConnectInput{}, Responses: web.OK(socialSettings{}),
		Problems: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusServiceUnavailable}}
	disconnectSocialOp = web.Operation{Summary: "Disconnect the Page: its token is deleted; queued posts wait for a new connection (a week at most)",
		Responses: web.NoContent(), Problems: socialProblems}
	listSocialPostsOp = web.Operation{Summary: "Social posts, newest first, 50 a page, with the engagement read back from Meta",
		Query: pageParams{}, Responses: web.OK(socialPostPage{}), Problems: socialProblems}
	cancelSocialPostOp = web.Operation{Summary: "Cancel a queued social post (409 POST_NOT_QUEUED once it is being published)",
		Responses: web.NoContent(), Problems: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict}}
)

// socialRoutes mounts the social operations under /api/v1/stores/{store} (routes.go calls it).
func (m *Module) socialRoutes(r *web.APIRoutes) {
	r.GET("/social", m.withStore(m.apiGetSocial), getSocialOp)
	r.PUT("/social", m.withStore(m.apiConnectSocial), connectSocialOp)
	r.DELETE("/social", m.withStore(m.apiDisconnectSocial), disconnectSocialOp)
	r.GET("/social/posts", m.withStore(m.apiListSocialPosts), listSocialPostsOp)
	r.DELETE("/social/posts/:post_id", m.withStore(m.apiCancelSocialPost), cancelSocialPostOp)
}
