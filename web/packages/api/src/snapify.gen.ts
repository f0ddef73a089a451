// Generated from openapi/snapify.json by scripts/api-types.mjs (npm run api-types). Do not edit.

export type paths = {
    "/api/v1/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log of admin actions, newest first
         * @description Every admin action writes its row in its own transaction: who, what, target, reason, when, outcome, and whether the seller was told.
         */
        get: operations["getApiV1AdminAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign a platform admin in with email and password (admin host only)
         * @description Answers on Snapify's admin host only (404 ADMIN_HOST_ONLY elsewhere). An account without the admin role is refused like a wrong password (401 INVALID_CREDENTIALS); repeated failures back off (429). Sellers sign in with a WhatsApp code instead.
         */
        post: operations["postApiV1AdminLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Platform metrics: stores, products, orders and GMV (paisa), by day and by city */
        get: operations["getApiV1AdminMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The moderation queue: products awaiting an admin, or blocked ones, newest change first */
        get: operations["getApiV1AdminProducts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/products/{product_id}/moderate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a product (restoring a blocked one) or block it with a reason shown to the seller */
        post: operations["postApiV1AdminProductsProductIdModerate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/stores": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All stores, newest first, with search and filters (admin role) */
        get: operations["getApiV1AdminStores"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/stores/{store_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One store with its seller, 30-day sales, blocked products and the last admin actions on it */
        get: operations["getApiV1AdminStoresStoreId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/stores/{store_id}/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a store's plan (free|pro); the only way to Pro until billing exists
         * @description Moving a store with more products than Free allows to Free is 409 PRODUCT_LIMIT.
         */
        post: operations["postApiV1AdminStoresStoreIdPlan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/stores/{store_id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Suspend a store with a reason (its pages answer 404; its custom domain is released; the seller is told on WhatsApp) */
        post: operations["postApiV1AdminStoresStoreIdSuspend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/stores/{store_id}/unsuspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Lift a suspension (the body with a note is optional); the seller is told on WhatsApp */
        post: operations["postApiV1AdminStoresStoreIdUnsuspend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/stores/{store_id}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set or clear the verified badge; the seller is told on WhatsApp
         * @description The answer's audit row says whether the seller's message is queued, or not sent (notice not_sent, with why) when WhatsApp is not configured.
         */
        post: operations["postApiV1AdminStoresStoreIdVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out this session */
        post: operations["postApiV1AuthLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in account */
        get: operations["getApiV1AuthMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's sessions */
        get: operations["getApiV1AuthSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Sign out one session */
        delete: operations["deleteApiV1AuthSessionsSessionId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions/revoke-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out every session of the account, this one included */
        post: operations["postApiV1AuthSessionsRevokeAll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/seller/login/code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a six-digit sign-in code to a WhatsApp number (3 per number per 10 min)
         * @description Sellers sign in with a WhatsApp code only. Without WhatsApp configured, development answers the code in dev_code; production answers 503 WHATSAPP_NOT_CONFIGURED.
         */
        post: operations["postApiV1SellerLoginCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/seller/login/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Spend a sign-in code; returns a session token (Bearer) and sets the session cookie
         * @description A wrong or expired code is 401 BAD_CODE. Wrong guesses are counted per number: past the third each waits longer (429 SIGNIN_BACKOFF), the tenth locks the number for the day (429 SIGNIN_LOCKED).
         */
        post: operations["postApiV1SellerLoginVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's stores */
        get: operations["getApiV1Stores"];
        put?: never;
        /**
         * Open a store (slug rules: 3-40 a-z 0-9 -, reserved words refused)
         * @description At most 3 stores a seller (409 STORE_LIMIT); a taken slug is 409 SLUG_TAKEN with a suggestion. The store's WhatsApp number is the one the seller signed in with (403 PHONE_NOT_VERIFIED without one).
         */
        post: operations["postApiV1Stores"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the caller's stores */
        get: operations["getApiV1StoresStore"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/analytics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Views, daily-unique visitors, orders, revenue, top products, referrers, cities */
        get: operations["getApiV1StoresStoreAnalytics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Categories with product counts */
        get: operations["getApiV1StoresStoreCategories"];
        put?: never;
        /** Add a category */
        post: operations["postApiV1StoresStoreCategories"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/categories/{category_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a category (products stay, uncategorised) */
        delete: operations["deleteApiV1StoresStoreCategoriesCategoryId"];
        options?: never;
        head?: never;
        /** Change a category */
        patch: operations["patchApiV1StoresStoreCategoriesCategoryId"];
        trace?: never;
    };
    "/api/v1/stores/{store}/domain/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check the custom domain claim: verified once the TXT record _alorig-verify.{domain} holds the claim token
         * @description 409 NO_DOMAIN_CLAIM, DOMAIN_NOT_VERIFIED (with record and value), DOMAIN_CLAIM_CHANGED or DOMAIN_TAKEN; 503 DNS_LOOKUP_FAILED; 429 when checked a moment ago.
         */
        post: operations["postApiV1StoresStoreDomainVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a picture (multipart field file, or a raw image body); JPEG, PNG or WebP, checked by content, metadata stripped
         * @description The body is multipart/form-data with the picture in the field file, or the picture itself with its image/* Content-Type; at most 8 MB. 413 IMAGE_TOO_LARGE, 415 IMAGE_TYPE, 422 IMAGE_DIMENSIONS or IMAGE_CORRUPT.
         */
        post: operations["postApiV1StoresStoreImages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Orders, newest first */
        get: operations["getApiV1StoresStoreOrders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/orders/{order_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One order with the statuses it may move to */
        get: operations["getApiV1StoresStoreOrdersOrderId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/orders/{order_id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move an order: pending→confirmed|cancelled, confirmed→shipped|cancelled, shipped→delivered|returned, delivered→returned
         * @description Any other move is 409 BAD_TRANSITION.
         */
        post: operations["postApiV1StoresStoreOrdersOrderIdStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The plan with its renewal date, grace, payments and the gateways on offer */
        get: operations["getApiV1StoresStorePlan"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/plan/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a month of Pro (Rs 2,500) with JazzCash or EasyPaisa: a pending payment and the form the browser posts to the gateway
         * @description The answer's form is submitted by the browser (method POST to action with the hidden fields). The gateway sends the payer back through /webhooks/jazzcash or /webhooks/easypaisa, which verify the result and land on the app's /settings?payment={ref}&result=paid|failed|pending. 503 PAYMENTS_NOT_CONFIGURED names the settings a gateway lacks.
         */
        post: operations["postApiV1StoresStorePlanCheckout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Products, newest first, 50 a page */
        get: operations["getApiV1StoresStoreProducts"];
        put?: never;
        /**
         * Add a product (Free plan: at most 15)
         * @description The sixteenth product of a Free store is 409 PRODUCT_LIMIT (with limit). Pictures must be this store's uploads (422 FOREIGN_IMAGE).
         */
        post: operations["postApiV1StoresStoreProducts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/products/{product_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One product */
        get: operations["getApiV1StoresStoreProductsProductId"];
        put?: never;
        post?: never;
        /** Delete a product (orders keep their snapshot) */
        delete: operations["deleteApiV1StoresStoreProductsProductId"];
        options?: never;
        head?: never;
        /**
         * Change a product
         * @description A product blocked by moderation cannot change status (409 BLOCKED).
         */
        patch: operations["patchApiV1StoresStoreProductsProductId"];
        trace?: never;
    };
    "/api/v1/stores/{store}/products/{product_id}/suggestions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The AI content pipeline's suggestions for a product, newest first
         * @description Each suggestion names the product field it would change (or carries information: attributes, transcript, seo, social), the field's value when it was made (base) and now (current), and edited when the seller changed the field since. status failed means the stage failed (error says why) and the seller's own text stays.
         */
        get: operations["getApiV1StoresStoreProductsProductIdSuggestions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/products/{product_id}/suggestions/{suggestion_id}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accept a suggestion, optionally edited (value), through the product update
         * @description 409 FIELD_EDITED when the seller changed the field after the suggestion was made and no value is sent; 409 SUGGESTION_DECIDED once accepted, dismissed or replaced; 409 SUGGESTION_NOT_APPLICABLE for a failed or informational one.
         */
        post: operations["postApiV1StoresStoreProductsProductIdSuggestionsSuggestionIdAccept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/products/{product_id}/suggestions/{suggestion_id}/dismiss": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Dismiss a suggestion; text the pipeline filled into an empty field is removed again unless edited since */
        post: operations["postApiV1StoresStoreProductsProductIdSuggestionsSuggestionIdDismiss"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change settings (custom_domain is Pro only and starts a pending claim; whatsapp_phone must be the signed-in number)
         * @description A custom domain on a Free store is 402 PRO_ONLY; an empty custom_domain drops the claim. The slug cannot change.
         */
        patch: operations["patchApiV1StoresStoreSettings"];
        trace?: never;
    };
    "/api/v1/stores/{store}/social": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The store's Facebook Page and Instagram account for auto-posting (Pro only)
         * @description A Free store is 403 PRO_REQUIRED. connection is null until a Page is connected; its status needs_reconnect (with last_error) means Meta refused the token and nothing is posted until the seller connects again.
         */
        get: operations["getApiV1StoresStoreSocial"];
        /**
         * Connect a Facebook Page (and its Instagram account) with a Page access token, checked with Meta and stored encrypted
         * @description The token must read the Page (and the Instagram account when instagram_user_id is given): 422 META_REFUSED names the field (an expired or foreign token, a missing permission). 503 META_UNAVAILABLE when Meta does not answer. Replaces an earlier connection.
         */
        put: operations["putApiV1StoresStoreSocial"];
        post?: never;
        /** Disconnect the Page: its token is deleted; queued posts wait for a new connection (a week at most) */
        delete: operations["deleteApiV1StoresStoreSocial"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/social/posts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Social posts, newest first, 50 a page, with the engagement read back from Meta */
        get: operations["getApiV1StoresStoreSocialPosts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/social/posts/{post_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Cancel a queued social post (409 POST_NOT_QUEUED once it is being published) */
        delete: operations["deleteApiV1StoresStoreSocialPostsPostId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store}/subscription": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Plan, product count and limit */
        get: operations["getApiV1StoresStoreSubscription"];
        /**
         * Move to the Free plan (Pro is paid: 402 PLAN_REQUIRES_PAYMENT; an admin grants it)
         * @description A store with more products than Free allows is 409 PRODUCT_LIMIT. Leaving Pro drops the custom domain.
         */
        put: operations["putApiV1StoresStoreSubscription"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/easypaisa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Easypay's redirects to postBackURL (query string, or a form-encoded POST)
         * @description With auth_token: a page that posts it to Easypay's Confirm.jsf. With orderRefNumber: the payment is settled as Easypay's inquire-transaction reports it (PAID, for our store, with the amount asked); a redirect Easypay does not confirm is 400 PAYMENT_CALLBACK_REFUSED.
         */
        get: operations["getWebhooksEasypaisa"];
        put?: never;
        /**
         * Easypay's redirects to postBackURL (query string, or a form-encoded POST)
         * @description With auth_token: a page that posts it to Easypay's Confirm.jsf. With orderRefNumber: the payment is settled as Easypay's inquire-transaction reports it (PAID, for our store, with the amount asked); a redirect Easypay does not confirm is 400 PAYMENT_CALLBACK_REFUSED.
         */
        post: operations["postWebhooksEasypaisa"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/jazzcash": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * JazzCash's result (pp_ReturnURL), posted form-encoded through the payer's browser
         * @description The pp_ fields JazzCash posts (application/x-www-form-urlencoded, at most 16 KiB). Accepted only when pp_SecureHash (HMAC-SHA256 under the integrity salt) matches, pp_MerchantID is ours, and pp_TxnRefNo, pp_Amount and the gateway match a pending payment; then the store is Pro. Anything else is 400 PAYMENT_CALLBACK_REFUSED and changes nothing; a result delivered again changes nothing.
         */
        post: operations["postWebhooksJazzcash"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/whatsapp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * WhatsApp webhook subscription check
         * @description Meta's GET when the webhook is set up: with hub.mode=subscribe and the configured verify token, hub.challenge is echoed as text/plain; anything else is 403.
         */
        get: operations["getWebhooksWhatsapp"];
        put?: never;
        /**
         * WhatsApp webhook delivery (signed)
         * @description Messages and delivery receipts from the WhatsApp Cloud API. The raw body must carry a valid X-Hub-Signature-256 (HMAC-SHA256 with the app secret, ALORIG_SNAPIFY_WHATSAPP_APP_SECRET); a body without one is refused and stores nothing. Accepted bodies are stored and handled by the job snapify.process_whatsapp_webhook; each message id is handled once.
         */
        post: operations["postWebhooksWhatsapp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        AcceptSuggestionInput: {
            /** @description the seller's edited text; omitted: the suggestion as it is */
            value?: string;
        };
        analyticsCount: {
            /** Format: int64 */
            count: number;
            name: string;
        };
        AnalyticsDay: {
            /**
             * Format: double
             * @description orders per visitor that day (0.05 is 5 %), 0 without visitors
             */
            conversion: number;
            /** Format: date */
            date: string;
            /** Format: int64 */
            orders: number;
            /** Format: int64 */
            revenue_paisa: number;
            /** Format: int64 */
            views: number;
            /**
             * Format: int64
             * @description distinct visitors that day
             */
            visitors: number;
        };
        AnalyticsSummary: {
            /** @description oldest first, one entry a day (Asia/Karachi), today last; the totals above are their sums */
            by_day: components["schemas"]["AnalyticsDay"][];
            cities: components["schemas"]["analyticsCount"][];
            /** Format: int64 */
            days: number;
            /** Format: int64 */
            orders: number;
            referrers: components["schemas"]["analyticsCount"][];
            /** Format: int64 */
            revenue_paisa: number;
            top_products: components["schemas"]["analyticsCount"][];
            /** Format: int64 */
            views: number;
            /** Format: int64 */
            visitors: number;
        };
        AuditEntry: {
            /** @enum {string} */
            action: "sign_in" | "verify" | "unverify" | "suspend" | "unsuspend" | "set_plan" | "approve_product" | "block_product";
            /** @description the admin's email (or number) when they acted */
            actor: string;
            /**
             * Format: int64
             * @description the admin's account; null once it is deleted
             */
            actor_id: number | null;
            /** Format: date-time */
            created_at: string;
            /** Format: int64 */
            id: number;
            /**
             * @description the WhatsApp message to the seller
             * @enum {string}
             */
            notice: "none" | "queued" | "sent" | "failed" | "not_sent";
            /** @description why a message failed or was not sent */
            notice_detail: string;
            /** @description what the action changed, in words */
            outcome: string;
            reason: string;
            /**
             * Format: int64
             * @description the store acted on, or the product's store
             */
            store_id: number | null;
            /** Format: int64 */
            target_id: number;
            /** @description the store's address or the product's title at the time */
            target_label: string;
            /** @enum {string} */
            target_type: "account" | "store" | "product";
        };
        auditPage: {
            entries: components["schemas"]["AuditEntry"][];
            /** Format: int64 */
            page: number;
            /** Format: int64 */
            total: number;
        };
        Category: {
            /** Format: date-time */
            created_at: string;
            /** Format: int64 */
            id: number;
            intro: string;
            name: string;
            /** Format: int64 */
            position: number;
            /** Format: int64 */
            product_count: number;
            slug: string;
            /** Format: date-time */
            updated_at: string;
        };
        CategoryInput: {
            intro?: string;
            name?: string;
            /** Format: int64 */
            position?: number;
            slug?: string;
        };
        categoryList: {
            categories: components["schemas"]["Category"][];
        };
        checkoutAnswer: {
            /** @description post these fields to action (a browser form submission, not fetch) */
            form: components["schemas"]["Form"] | null;
            payment: components["schemas"]["Payment"] | null;
        };
        checkoutRequest: {
            /** @enum {string} */
            gateway: "jazzcash" | "easypaisa";
        };
        codeSent: {
            /** @description development without WhatsApp only: the code itself */
            dev_code?: string;
            /**
             * Format: int64
             * @description seconds the code stays valid
             */
            expires_in: number;
            sent: boolean;
            /** @description development without WhatsApp only: why nothing was sent */
            whatsapp?: string;
        };
        domainRecord: {
            name: string;
            type: string;
            value: string;
        };
        Engagement: {
            /** Format: int64 */
            comments: number;
            /** Format: int64 */
            likes: number;
            /** Format: int64 */
            shares: number;
        };
        FieldError: {
            field: string;
            reason: string;
        };
        Form: {
            /** @description the gateway's page the form is posted to */
            action: string;
            /** @description hidden inputs, name to value, posted as application/x-www-form-urlencoded */
            fields: {
                [key: string]: string;
            };
            /** @enum {string} */
            method: "POST";
        };
        gatewayInfo: {
            available: boolean;
            /** @enum {string} */
            name: "jazzcash" | "easypaisa";
            /** @description why it cannot take payments here */
            reason?: string;
        };
        Image: {
            Alt: string;
            /** Format: int64 */
            Height: number;
            Src: string;
            Srcset: string;
            /** Format: int64 */
            Width: number;
        };
        Login: {
            email: string;
            password: string;
        };
        MetricsCity: {
            city: string;
            /** Format: int64 */
            gmv_paisa: number;
            /** Format: int64 */
            orders: number;
            /** Format: int64 */
            products: number;
            /** Format: int64 */
            stores: number;
        };
        MetricsDay: {
            /** Format: date */
            date: string;
            /** Format: int64 */
            gmv_paisa: number;
            /** Format: int64 */
            new_stores: number;
            /** Format: int64 */
            orders: number;
        };
        moderateRequest: {
            /** @description the reason, shown to the seller: 3 to 500 characters, required to block */
            note?: string;
            /**
             * @description blocked rejects the product; active approves it (and restores a blocked one)
             * @enum {string}
             */
            status: "blocked" | "active";
        };
        moderationPage: {
            items: components["schemas"]["queuedProduct"][];
            /** Format: int64 */
            page: number;
            /** @enum {string} */
            queue: "pending" | "blocked";
            /** Format: int64 */
            total: number;
        };
        Order: {
            address: string;
            buyer_name: string;
            buyer_phone: string;
            city: string;
            /** Format: date-time */
            created_at: string;
            /** Format: int64 */
            delivery_fee_paisa: number;
            /** Format: int64 */
            id: number;
            lines: components["schemas"]["OrderLine"][];
            notes: string;
            /** Format: date-time */
            notified_at?: string;
            notify_error?: string;
            number: string;
            payment: string;
            status: string;
            /** Format: date-time */
            status_changed_at: string;
            /** Format: int64 */
            subtotal_paisa: number;
            /** Format: int64 */
            total_paisa: number;
            tracking_number: string;
            /** Format: date-time */
            updated_at: string;
        };
        orderAnswer: {
            /** @description statuses the order may move to (null when none) */
            next: string[];
            order: components["schemas"]["Order"] | null;
        };
        OrderLine: {
            options?: string;
            /** Format: int64 */
            product_id: number;
            /** Format: int64 */
            quantity: number;
            slug: string;
            title: string;
            /** Format: int64 */
            total_paisa: number;
            /** Format: int64 */
            unit_paisa: number;
        };
        orderPage: {
            orders: components["schemas"]["Order"][];
            /** Format: int64 */
            page: number;
            /** Format: int64 */
            total: number;
        };
        orderStatusRequest: {
            /** @enum {string} */
            status: "confirmed" | "shipped" | "delivered" | "cancelled" | "returned";
            /** @description at most 60 characters */
            tracking_number?: string;
        };
        Payment: {
            /** Format: int64 */
            amount_paisa: number;
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date-time
             * @description the gateway refuses the checkout after this
             */
            expires_at: string;
            /** @enum {string} */
            gateway: "jazzcash" | "easypaisa";
            gateway_code?: string;
            gateway_message?: string;
            gateway_txn?: string;
            /** Format: int64 */
            months: number;
            /** Format: date-time */
            paid_at?: string;
            /** Format: date-time */
            period_end?: string;
            /** Format: date-time */
            period_start?: string;
            plan: string;
            /** @description our reference, as the gateway shows it (pp_TxnRefNo, orderRefNum) */
            ref: string;
            /** @enum {string} */
            status: "pending" | "paid" | "failed";
        };
        phoneRequest: {
            lang?: string;
            phone: string;
        };
        Picture: {
            alt?: string;
            ext: string;
            hash: string;
            /** Format: int64 */
            height: number;
            prefix: string;
            /** Format: int64 */
            width: number;
            widths: number[];
        };
        planAnswer: {
            /** @description where receipts and notices are emailed; set it in the store settings */
            email: string;
            gateways: components["schemas"]["gatewayInfo"][];
            /**
             * Format: int64
             * @description days Pro features continue after the paid period ends
             */
            grace_days: number;
            /** Format: date-time */
            grace_until?: string;
            payment_method?: string;
            /** @description the last 10 checkouts, newest first */
            payments: components["schemas"]["Payment"][];
            /** @enum {string} */
            plan: "free" | "pro";
            /**
             * Format: int64
             * @description the Pro plan's price for one month
             */
            price_paisa: number;
            /**
             * Format: date-time
             * @description end of the paid Pro period
             */
            renews_at?: string;
            /**
             * @description past_due: the period ended and the grace days run
             * @enum {string}
             */
            status: "active" | "past_due" | "cancelled";
        };
        planRequest: {
            /** @enum {string} */
            plan: "free" | "pro";
        };
        PlatformMetrics: {
            /** Format: int64 */
            blocked_products: number;
            /** @description at most 20 cities, most GMV first */
            by_city: components["schemas"]["MetricsCity"][];
            /** @description oldest first, one entry a day (Asia/Karachi), today last */
            by_day: components["schemas"]["MetricsDay"][];
            /**
             * Format: int64
             * @description the period of by_day and by_city
             */
            days: number;
            /** Format: int64 */
            gmv_30d_paisa: number;
            /** Format: int64 */
            orders_30d: number;
            /** Format: int64 */
            pro_stores: number;
            /** Format: int64 */
            products: number;
            /** Format: int64 */
            stores: number;
            /** Format: int64 */
            suspended_stores: number;
            /** Format: int64 */
            verified_stores: number;
            /** Format: int64 */
            views_7d: number;
        };
        /** @description RFC 9457 problem details. Some answers add members, named in the operation's description. */
        Problem: {
            code?: string;
            detail?: string;
            errors?: components["schemas"]["FieldError"][];
            instance?: string;
            request_id?: string;
            /** Format: int64 */
            status: number;
            title: string;
            type?: string;
        };
        Product: {
            /** Format: int64 */
            category_id: number | null;
            /** Format: int64 */
            compare_at_paisa: number;
            /** Format: date-time */
            created_at: string;
            description: string;
            /** Format: int64 */
            id: number;
            images: components["schemas"]["Picture"][];
            moderation_note?: string;
            /** Format: int64 */
            price_paisa: number;
            seo_description: string;
            seo_title: string;
            sku: string;
            slug: string;
            status: string;
            /** Format: int64 */
            stock: number | null;
            title: string;
            /** Format: date-time */
            updated_at: string;
            variants: components["schemas"]["Variant"][];
        };
        productAction: {
            audit: components["schemas"]["AuditEntry"];
            product: components["schemas"]["Product"];
        };
        ProductInput: {
            /** Format: int64 */
            category_id?: number;
            /** Format: int64 */
            compare_at_paisa?: number;
            description?: string;
            images?: components["schemas"]["Picture"][];
            /** Format: int64 */
            price_paisa?: number;
            seo_description?: string;
            seo_title?: string;
            sku?: string;
            slug?: string;
            status?: string;
            /** Format: int64 */
            stock?: number;
            title?: string;
            variants?: components["schemas"]["Variant"][];
        };
        productPage: {
            /** Format: int64 */
            page: number;
            products: components["schemas"]["Product"][];
            /** Format: int64 */
            total: number;
        };
        queuedProduct: {
            product: components["schemas"]["Product"];
            store: components["schemas"]["storeRef"];
        };
        Revoked: {
            /** Format: int64 */
            revoked: number;
        };
        Session: {
            /** Format: date-time */
            created_at: string;
            current: boolean;
            /** Format: date-time */
            expires_at: string;
            /** Format: int64 */
            id: number;
            ip: string;
            /** Format: date-time */
            last_seen_at: string;
            /** Format: date-time */
            revoked_at?: string;
            user_agent: string;
        };
        SessionList: {
            sessions: components["schemas"]["Session"][];
        };
        signedIn: {
            csrf_token: string;
            /** Format: date-time */
            expires_at: string;
            /** @description the proven WhatsApp number, E.164 */
            phone: string;
            /** @description the session token, sent as Authorization: Bearer */
            token: string;
            user: components["schemas"]["User"] | null;
        };
        SignedIn: {
            csrf_token: string;
            /** Format: date-time */
            expires_at: string;
            /** Format: int64 */
            session_id: number;
            token: string;
            user: components["schemas"]["User"] | null;
        };
        SocialConnectInput: {
            /** @description the numeric id of the Instagram professional account linked to the Page; empty posts to Facebook only */
            instagram_user_id?: string;
            /** @description a Page access token of that Page (long-lived); stored encrypted, never shown again */
            page_access_token: string;
            /** @description the Facebook Page's numeric id */
            page_id: string;
        };
        SocialConnection: {
            /** Format: date-time */
            connected_at: string;
            instagram_user_id?: string;
            instagram_username?: string;
            /** @description why Meta refused the token, when status is needs_reconnect */
            last_error?: string;
            page_id: string;
            page_name: string;
            /** @enum {string} */
            status: "connected" | "needs_reconnect";
            /** Format: date-time */
            updated_at: string;
        };
        SocialMetrics: {
            facebook?: components["schemas"]["Engagement"];
            instagram?: {
                [key: string]: number;
            };
        };
        SocialPost: {
            caption: string;
            /** Format: date-time */
            created_at: string;
            facebook_error?: string;
            facebook_post_id?: string;
            /** Format: date-time */
            facebook_published_at?: string;
            /** Format: int64 */
            id: number;
            /** @description the picture Meta fetches (an absolute public URL) */
            image_url: string;
            instagram_error?: string;
            instagram_media_id?: string;
            /** Format: date-time */
            instagram_published_at?: string;
            metrics: components["schemas"]["SocialMetrics"];
            /**
             * Format: date-time
             * @description when the metrics were last read from Meta
             */
            metrics_at?: string;
            /** @description where it is going or went: facebook, instagram (set when publishing starts) */
            platforms: string[];
            /** Format: int64 */
            product_id: number | null;
            /** Format: date-time */
            published_at?: string;
            /**
             * Format: date-time
             * @description not published before this time
             */
            scheduled_at: string;
            /** @enum {string} */
            status: "queued" | "publishing" | "published" | "partial" | "failed" | "cancelled" | "expired";
            /** Format: date-time */
            updated_at: string;
        };
        socialPostPage: {
            /** Format: int64 */
            page: number;
            posts: components["schemas"]["SocialPost"][];
            /** Format: int64 */
            total: number;
        };
        socialSettings: {
            /** @description null when no Page is connected */
            connection: components["schemas"]["SocialConnection"] | null;
            /** @description false when the server's image addresses are not public, so nothing can be posted */
            images_ready: boolean;
            /**
             * Format: int64
             * @description at most this many posts go out in any 24 hours
             */
            posts_per_day: number;
        };
        StoreInput: {
            about?: string;
            address?: string;
            banner?: components["schemas"]["Picture"];
            category?: string;
            city?: string;
            custom_domain?: string;
            /** Format: int64 */
            delivery_fee_paisa?: number;
            delivery_note?: string;
            /** @description for payment receipts and plan notices; "" removes it */
            email?: string;
            lang?: string;
            logo?: components["schemas"]["Picture"];
            name?: string;
            region?: string;
            slug?: string;
            tagline?: string;
            theme?: string;
            whatsapp_phone?: string;
        };
        StoreJSON: {
            about: string;
            address: string;
            banner?: components["schemas"]["Picture"];
            category: string;
            city: string;
            /** Format: date-time */
            created_at: string;
            custom_domain?: string;
            /** Format: int64 */
            delivery_fee_paisa: number;
            delivery_note: string;
            /** @enum {string} */
            domain_status?: "pending" | "verified";
            /** @description the TXT record that proves a pending claim */
            domain_verification?: components["schemas"]["domainRecord"];
            /** Format: date-time */
            domain_verified_at?: string;
            /** @description where payment receipts and plan notices are emailed; empty: WhatsApp only */
            email: string;
            /** Format: int64 */
            id: number;
            lang: string;
            logo?: components["schemas"]["Picture"];
            name: string;
            /** Format: int64 */
            product_count: number;
            region: string;
            slug: string;
            /** Format: date-time */
            suspended_at?: string;
            suspended_reason?: string;
            tagline: string;
            theme: string;
            tier: string;
            /** Format: date-time */
            updated_at: string;
            verified: boolean;
            whatsapp_phone: string;
        };
        storeOwner: {
            display_name: string;
            /** Format: int64 */
            id: number;
            /** @description the WhatsApp number the seller proved, E.164 */
            phone: string | null;
            role: string;
        };
        storeRef: {
            /** Format: int64 */
            id: number;
            name: string;
            slug: string;
            verified: boolean;
        };
        Subscription: {
            /**
             * Format: date-time
             * @description while past_due: Pro features stop after this
             */
            grace_until?: string;
            /** @description jazzcash or easypaisa: how the current Pro period was paid */
            payment_method?: string;
            plan: string;
            /** Format: int64 */
            price_paisa: number;
            /** Format: date-time */
            renews_at?: string;
            /** Format: date-time */
            started_at: string;
            status: string;
        };
        subscriptionAnswer: {
            /** Format: int64 */
            product_count: number;
            /**
             * Format: int64
             * @description null on Pro: no limit
             */
            product_limit: number | null;
            subscription: components["schemas"]["Subscription"] | null;
        };
        Suggestion: {
            base: string;
            /** Format: int64 */
            cost_micro_usd: number;
            /** Format: date-time */
            created_at: string;
            current: string;
            /** @description attributes, bullets, keywords, city pages, schema.org fields, the social post's caption and image */
            data: unknown;
            /** Format: date-time */
            decided_at?: string;
            edited: boolean;
            error?: string;
            /** @enum {string} */
            field: "attributes" | "transcript" | "title" | "description" | "seo_title" | "seo_description" | "seo" | "social";
            /** Format: int64 */
            id: number;
            model: string;
            offline: boolean;
            /** Format: int64 */
            product_id: number;
            provider: string;
            source: string;
            /** @enum {string} */
            stage: "analysis" | "voice" | "content" | "seo" | "social";
            /** @enum {string} */
            status: "pending" | "applied" | "accepted" | "dismissed" | "failed" | "superseded" | "info";
            /** Format: date-time */
            updated_at: string;
            value: string;
        };
        suggestionList: {
            suggestions: components["schemas"]["Suggestion"][];
        };
        suspendRequest: {
            /** @description 3 to 500 characters; the seller is shown it and told it on WhatsApp */
            reason: string;
        };
        unsuspendRequest: {
            /** @description at most 500 characters; sent to the seller with the news */
            reason?: string;
        };
        uploaded: {
            picture: components["schemas"]["Picture"];
            preview: components["schemas"]["Image"];
        };
        User: {
            anonymous: boolean;
            /** Format: date-time */
            created_at: string;
            display_name: string;
            email?: string;
            /** Format: int64 */
            id: number;
            role: string;
        };
        Variant: {
            key: string;
            label: string;
            options: string[];
        };
        verifyRequest: {
            code: string;
            phone: string;
        };
        verifyStoreRequest: {
            /** @description at most 500 characters; sent to the seller with the news */
            reason?: string;
            /** @description true sets the verified badge, false clears it */
            verified: boolean | null;
        };
        waAck: {
            /** @description this exact body was received before; it is handled once */
            duplicate: boolean;
            received: boolean;
        };
        waCloudWebhook: {
            entry: {
                [key: string]: unknown;
            }[];
            /** @enum {string} */
            object: "whatsapp_business_account";
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    getApiV1AdminAudit: {
        parameters: {
            query?: {
                action?: "sign_in" | "verify" | "unverify" | "suspend" | "unsuspend" | "set_plan" | "approve_product" | "block_product";
                /** @description 1-based page of 50 (default 1) */
                page?: number;
                /** @description only actions on this store or its products */
                store_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["auditPage"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1AdminLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Login"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignedIn"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1AdminMetrics: {
        parameters: {
            query?: {
                /** @description 1 to 90 (default 30): the period of by_day and by_city */
                days?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlatformMetrics"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1AdminProducts: {
        parameters: {
            query?: {
                /** @description 1-based page of 50 (default 1) */
                page?: number;
                /** @description pending (default): products no admin has looked at since they last changed; blocked: products moderation blocked */
                queue?: "pending" | "blocked";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["moderationPage"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1AdminProductsProductIdModerate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["moderateRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["productAction"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1AdminStores: {
        parameters: {
            query?: {
                /** @description the store's city, any case */
                city?: string;
                /** @description the older form of verified=false and status=suspended */
                filter?: "unverified" | "suspended";
                /** @description 1-based page of 50 (default 1) */
                page?: number;
                plan?: "free" | "pro";
                /** @description words of the slug or name (at most 100 characters) */
                q?: string;
                status?: "live" | "suspended";
                verified?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: int64 */
                        page: number;
                        stores: components["schemas"]["StoreJSON"][];
                        /** Format: int64 */
                        total: number;
                    };
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1AdminStoresStoreId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audit: components["schemas"]["AuditEntry"][];
                        /** Format: int64 */
                        blocked_products: number;
                        /** Format: int64 */
                        gmv_30d_paisa: number;
                        /** Format: int64 */
                        orders_30d: number;
                        owner: components["schemas"]["storeOwner"];
                        store: components["schemas"]["StoreJSON"];
                    };
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1AdminStoresStoreIdPlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["planRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audit: components["schemas"]["AuditEntry"];
                        store: components["schemas"]["StoreJSON"];
                    };
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1AdminStoresStoreIdSuspend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["suspendRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audit: components["schemas"]["AuditEntry"];
                        store: components["schemas"]["StoreJSON"];
                    };
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1AdminStoresStoreIdUnsuspend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["unsuspendRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audit: components["schemas"]["AuditEntry"];
                        store: components["schemas"]["StoreJSON"];
                    };
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1AdminStoresStoreIdVerify: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["verifyStoreRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audit: components["schemas"]["AuditEntry"];
                        store: components["schemas"]["StoreJSON"];
                    };
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1AuthLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1AuthMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1AuthSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteApiV1AuthSessionsSessionId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1AuthSessionsRevokeAll: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Revoked"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1SellerLoginCode: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["phoneRequest"];
            };
        };
        responses: {
            /** @description Code sent */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["codeSent"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1SellerLoginVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["verifyRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["signedIn"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1Stores: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        stores: components["schemas"]["StoreJSON"][];
                    };
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1Stores: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StoreInput"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoreJSON"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1StoresStore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoreJSON"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1StoresStoreAnalytics: {
        parameters: {
            query?: {
                /** @description 1 to 90 (default 7): the last days in Pakistan time, today included */
                days?: number;
            };
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnalyticsSummary"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1StoresStoreCategories: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["categoryList"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1StoresStoreCategories: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CategoryInput"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Category"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteApiV1StoresStoreCategoriesCategoryId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                category_id: number;
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchApiV1StoresStoreCategoriesCategoryId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                category_id: number;
                store: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CategoryInput"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Category"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1StoresStoreDomainVerify: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoreJSON"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payment Required */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1StoresStoreImages: {
        parameters: {
            query?: {
                /** @description the picture's description for buyers who cannot see it */
                alt?: string;
            };
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["uploaded"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request Entity Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1StoresStoreOrders: {
        parameters: {
            query?: {
                /** @description 1-based page of 50 (default 1) */
                page?: number;
                /** @description only orders in this status */
                status?: "pending" | "confirmed" | "shipped" | "delivered" | "cancelled" | "returned";
            };
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["orderPage"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1StoresStoreOrdersOrderId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                order_id: number;
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["orderAnswer"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1StoresStoreOrdersOrderIdStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                order_id: number;
                store: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["orderStatusRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["orderAnswer"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1StoresStorePlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["planAnswer"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1StoresStorePlanCheckout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["checkoutRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["checkoutAnswer"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1StoresStoreProducts: {
        parameters: {
            query?: {
                /** @description 1-based page (default 1) */
                page?: number;
            };
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["productPage"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1StoresStoreProducts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProductInput"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1StoresStoreProductsProductId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product_id: number;
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteApiV1StoresStoreProductsProductId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product_id: number;
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchApiV1StoresStoreProductsProductId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product_id: number;
                store: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProductInput"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1StoresStoreProductsProductIdSuggestions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product_id: number;
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["suggestionList"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1StoresStoreProductsProductIdSuggestionsSuggestionIdAccept: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product_id: number;
                store: string;
                suggestion_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AcceptSuggestionInput"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Suggestion"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApiV1StoresStoreProductsProductIdSuggestionsSuggestionIdDismiss: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product_id: number;
                store: string;
                suggestion_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Suggestion"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchApiV1StoresStoreSettings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StoreInput"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoreJSON"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payment Required */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1StoresStoreSocial: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["socialSettings"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putApiV1StoresStoreSocial: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SocialConnectInput"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["socialSettings"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteApiV1StoresStoreSocial: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1StoresStoreSocialPosts: {
        parameters: {
            query?: {
                /** @description 1-based page (default 1) */
                page?: number;
            };
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["socialPostPage"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteApiV1StoresStoreSocialPostsPostId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                post_id: number;
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiV1StoresStoreSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["subscriptionAnswer"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putApiV1StoresStoreSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                store: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["planRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["subscriptionAnswer"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payment Required */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhooksEasypaisa: {
        parameters: {
            query?: {
                /** @description the first redirect: answered with a page that posts it to Confirm.jsf */
                auth_token?: string;
                desc?: string;
                /** @description the second: our reference, settled only as Easypay's transaction inquiry reports it */
                orderRefNumber?: string;
                /** @description 0000 when Easypay says it went through (not proof) */
                status?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the page that continues to Confirm.jsf */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description verified: the browser goes to the seller app's /settings?payment={ref}&result=paid|failed|pending */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request Entity Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postWebhooksEasypaisa: {
        parameters: {
            query?: {
                /** @description the first redirect: answered with a page that posts it to Confirm.jsf */
                auth_token?: string;
                desc?: string;
                /** @description the second: our reference, settled only as Easypay's transaction inquiry reports it */
                orderRefNumber?: string;
                /** @description 0000 when Easypay says it went through (not proof) */
                status?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the page that continues to Confirm.jsf */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description verified: the browser goes to the seller app's /settings?payment={ref}&result=paid|failed|pending */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request Entity Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postWebhooksJazzcash: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description verified: the browser goes to the seller app's /settings?payment={ref}&result=paid|failed|pending */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request Entity Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhooksWhatsapp: {
        parameters: {
            query: {
                /** @description echoed back as text/plain */
                "hub.challenge": string;
                "hub.mode": "subscribe";
                /** @description ALORIG_SNAPIFY_WHATSAPP_VERIFY_TOKEN, compared in constant time */
                "hub.verify_token": string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the challenge */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postWebhooksWhatsapp: {
        parameters: {
            query?: never;
            header: {
                /** @description sha256=<hex HMAC-SHA256 of the raw body> */
                "X-Hub-Signature-256": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["waCloudWebhook"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["waAck"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request Entity Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Any other error, as problem+json */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
