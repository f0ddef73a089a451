package snapify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alorig/alorig/modules/snapify/social"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/uptrace/bun"
)

// Social auto-posting (Pro): the content pipeline queues a post-ready image and caption for a
// product (queueSocialPost); the periodic job snapify.social_auto_post hands due posts, at most
// SocialPostsPerDay a store in any 24 hours, to snapify.social_publish_post, which publishes
// each to the store's Facebook Page and Instagram account (social_publish.go); and
// snapify.social_refresh_metrics reads their engagement back. docs/snapify.md, "Social
// auto-posting", is the map.

// Platforms a post goes to.
const (
	platformFacebook  = "facebook"
	platformInstagram = "instagram"
)

// Post statuses (social_posts.status).
const (
	socialQueued     = "queued"     // waiting for its time and the store's daily allowance
	socialPublishing = "publishing" // handed to the publish job
	socialPublished  = "published"  // on every platform it was sent to
	socialPartial    = "partial"    // on some; the others refused it for good (see fb_error, ig_error)
	socialFailed     = "failed"     // refused everywhere
	socialCancelled  = "cancelled"  // by the seller, or its product was deleted
	socialExpired    = "expired"    // waited longer than socialMaxWait (the store was not Pro or not connected)
)

// socialHoldBack is how long a queued post waits before it may go out: the AI wrote its caption,
// so the seller has an hour to see it in the app and cancel it.
const socialHoldBack = time.Hour

// socialMaxWait expires a queued post that could not go out for a week, so a store that comes
// back to Pro or connects late does not post a backlog of old products.
const socialMaxWait = 7 * 24 * time.Hour

// SocialPost is one product's post to the store's Page and Instagram account. The Graph ids are
// recorded as soon as Meta answers each step (social_publish.go explains why).
type SocialPost struct {
	bun.BaseModel `bun:"table:social_posts"`
	ID            int64         `bun:"id,pk,autoincrement" json:"id"`
	StoreID       int64         `bun:"store_id" json:"-"`
	ProductID     *int64        `bun:"product_id" json:"product_id"`
	Caption       string        `bun:"caption" json:"caption"`
	ImageKey      string        `bun:"image_key" json:"-"`
	ImageURL      string        `bun:"-" json:"image_url" doc:"the picture Meta fetches (an absolute public URL)"`
	Status        string        `bun:"status" json:"status" enum:"queued,publishing,published,partial,failed,cancelled,expired"`
	Platforms     []string      `bun:"platforms,array" json:"platforms" doc:"where it is going or went: facebook, instagram (set when publishing starts)"`
	ScheduledAt   time.Time     `bun:"scheduled_at" json:"scheduled_at" doc:"not published before this time"`
	FBPhotoID     string        `bun:"fb_photo_id" json:"-"`
	FBPostID      string        `bun:"fb_post_id" json:"facebook_post_id,omitempty"`
	FBPublishedAt *time.Time    `bun:"fb_published_at" json:"facebook_published_at,omitempty"`
	FBError       string        `bun:"fb_error" json:"facebook_error,omitempty"`
	IGContainerID string        `bun:"ig_container_id" json:"-"`
	IGContainerAt *time.Time    `bun:"ig_container_at" json:"-"`
	IGMediaID     string        `bun:"ig_media_id" json:"instagram_media_id,omitempty"`
	IGPublishedAt *time.Time    `bun:"ig_published_at" json:"instagram_published_at,omitempty"`
	IGError       string        `bun:"ig_error" json:"instagram_error,omitempty"`
	Metrics       SocialMetrics `bun:"metrics,type:jsonb" json:"metrics"`
	MetricsAt     *time.Time    `bun:"metrics_at" json:"metrics_at,omitempty" doc:"when the metrics were last read from Meta"`
	PublishedAt   *time.Time    `bun:"published_at" json:"published_at,omitempty"`
	CreatedAt     time.Time     `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time     `bun:"updated_at" json:"updated_at"`
}

// SocialMetrics is the engagement read back from Meta: the Page post's likes, comments and
// shares, and the Instagram media's insights (likes, comments, shares, saved, reach, views).
type SocialMetrics struct {
	Facebook  *social.Engagement `json:"facebook,omitempty"`
	Instagram map[string]int64   `json:"instagram,omitempty"`
}

// done reports whether the platform has an outcome: published, or refused for good.
func (p *SocialPost) done(platform string) bool {
	if platform == platformFacebook {
		return p.FBPublishedAt != nil || p.FBError != ""
	}
	return p.IGPublishedAt != nil || p.IGError != ""
}

// ErrSocialCaption is a caption longer than Instagram takes.
var ErrSocialCaption = fmt.Errorf("snapify: a social caption may have at most %d characters", social.MaxCaption)

// queueSocialPost queues a product's post-ready image (a storage key of the module's media
// store, a JPEG: Instagram takes no other) and caption for the store's Facebook Page and
// Instagram account. The content pipeline calls it, inside its own transaction, after stage 5.
//
// Only Pro stores post: for a Free store nothing is queued and nil is returned (the picture and
// caption stay with the product's suggestions). A product's post still waiting is replaced, so
// content generated again never posts the product twice. The post waits socialHoldBack before
// it may go out.
func (m *Module) queueSocialPost(ctx context.Context, tx bun.IDB, storeID, productID int64, caption, imageKey string) error {
	caption = strings.TrimSpace(caption)
	if utf8.RuneCountInString(caption) > social.MaxCaption {
		return ErrSocialCaption
	}
	if imageKey == "" {
		return errors.New("snapify: a social post needs the storage key of its image")
	}
	s, err := platformStore(ctx, tx, storeID) // the pipeline's job was queued by scoped code
	if err != nil {
		return err
	}
	if s.Tier != "pro" {
		return nil
	}
	if _, err := productByID(ctx, tx, s.Scope(), productID); err != nil {
		return err
	}
	now := m.d.Clock.Now()
	p := &SocialPost{StoreID: s.Scope().ID(), ProductID: &productID, Caption: caption, ImageKey: imageKey, Status: socialQueued,
		Platforms: []string{}, ScheduledAt: now.Add(socialHoldBack), Metrics: SocialMetrics{}, CreatedAt: now, UpdatedAt: now}
	_, err = tx.NewInsert().Model(p).
		On("CONFLICT (store_id, product_id) WHERE status = 'queued' DO UPDATE").
		Set("caption = EXCLUDED.caption, image_key = EXCLUDED.image_key, scheduled_at = EXCLUDED.scheduled_at, updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("snapify: queue social post of product %d: %w", productID, err)
	}
	return nil
}

// listSocialPosts is one page of a store's posts, newest first.
func listSocialPosts(ctx context.Context, db bun.IDB, t storeScope, limit, offset int) ([]SocialPost, int, error) {
	out := []SocialPost{}
	n, err := tenant.Select(db.NewSelect().Model(&out), t, "store_id").
		OrderExpr("created_at DESC, id DESC").Limit(limit).Offset(offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("snapify: social posts of store %d: %w", t.ID(), err)
	}
	return out, n, nil
}

func socialPostByID(ctx context.Context, db bun.IDB, t storeScope, id int64) (*SocialPost, error) {
	p := new(SocialPost)
	if err := tenant.Select(db.NewSelect().Model(p), t, "store_id").Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: social post %d of store %d: %w", id, t.ID(), database.NoRows(err))
	}
	return p, nil
}

// updateSocialPost writes the named columns of p (and updated_at).
func updateSocialPost(ctx context.Context, db bun.IDB, t storeScope, p *SocialPost, columns ...string) error {
	_, err := tenant.Update(db.NewUpdate().Model(p).Column(append(columns, "updated_at")...), t, "store_id").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("snapify: record social post %d: %w", p.ID, err)
	}
	return nil
}
