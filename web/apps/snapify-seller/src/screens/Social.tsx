// Social auto-posting (Pro): the store's Facebook Page and Instagram account, and the posts the
// content pipeline queues for them (docs/snapify.md, "Social auto-posting"). A Free store is
// refused with 403 PRO_REQUIRED, which this screen turns into a pointer to the Plan card in
// Settings. The Page access token lives only in the form's state: it is cleared as the request
// is sent, never written to storage, and the server never shows it again.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { ApiError, Badge, Button, Card, Field, Link, ProblemAlert, fieldError, useLocale } from "@alorig/ui";
import type { components } from "@alorig/api/snapify";
import { api } from "../api";
import { fill, useT } from "../i18n";
import { storePath, useStores } from "../store";

type SocialSettings = components["schemas"]["socialSettings"];
type SocialConnectInput = components["schemas"]["SocialConnectInput"];
export type SocialPost = components["schemas"]["SocialPost"];
type SocialPostPage = components["schemas"]["socialPostPage"];

const FORM_FIELDS = ["page_id", "instagram_user_id", "page_access_token"];
const STATUS_TONE: Record<SocialPost["status"], "good" | "bad" | "warn" | "neutral"> = {
  queued: "neutral", publishing: "warn", published: "good", partial: "warn", failed: "bad", cancelled: "neutral", expired: "neutral",
};
const IG_METRICS = ["likes", "comments", "shares", "saved", "reach", "views"] as const;

const isCode = (e: unknown, code: string) => e instanceof ApiError && e.code === code;

function useWhen() {
  const locale = useLocale((s) => s.locale);
  return (iso?: string | null) =>
    iso ? new Date(iso).toLocaleString(locale === "ur" ? "ur-PK" : "en-PK", { day: "numeric", month: "short", hour: "numeric", minute: "2-digit" }) : "";
}

/** The connect form: Page id, Instagram user id and the Page access token. */
function ConnectForm({ again, onDone }: { again: boolean; onDone: (s: SocialSettings) => void }) {
  const t = useT();
  const [pageID, setPageID] = useState("");
  const [igID, setIgID] = useState("");
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body: SocialConnectInput = { page_id: pageID.trim(), page_access_token: token.trim() };
    if (igID.trim() !== "") body.instagram_user_id = igID.trim();
    setToken(""); // the token leaves the page with the request and is kept nowhere
    setBusy(true);
    setError(null);
    try {
      onDone(await api.put<SocialSettings>(`${storePath()}/social`, body));
      setPageID("");
      setIgID("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  // Field refusals (META_REFUSED, or a malformed id) show beside their field; other failures as an alert.
  const onFields = error instanceof ApiError && error.fields.length > 0 && error.fields.every((f) => FORM_FIELDS.includes(f.field));
  return (
    <form onSubmit={submit} className="flex flex-col gap-2" noValidate aria-labelledby="social-connect-title">
      <h3 id="social-connect-title" className="font-semibold">{again ? t("social.connectAgain") : t("social.connect")}</h3>
      <p className="text-sm text-muted">{t("social.connectHelp")}</p>
      <Field label={t("social.pageID")} value={pageID} onChange={(e) => setPageID(e.target.value)} inputMode="numeric" dir="ltr"
        autoComplete="off" required error={fieldError(error, "page_id")} />
      <Field label={t("social.igID")} value={igID} onChange={(e) => setIgID(e.target.value)} inputMode="numeric" dir="ltr"
        autoComplete="off" hint={t("social.igHint")} error={fieldError(error, "instagram_user_id")} />
      <Field label={t("social.token")} type="password" value={token} onChange={(e) => setToken(e.target.value)} dir="ltr"
        autoComplete="off" spellCheck={false} required hint={t("social.tokenHint")} error={fieldError(error, "page_access_token")} />
      <Button type="submit" busy={busy} disabled={pageID.trim() === "" || token.trim() === ""}>{t("social.connectSubmit")}</Button>
      {onFields && <p role="alert" className="text-sm text-bad">{isCode(error, "META_REFUSED") ? t("social.metaRefused") : t("social.fixFields")}</p>}
      {isCode(error, "META_UNAVAILABLE") && <p role="alert" className="text-sm text-bad">{t("social.metaDown")}</p>}
      {error != null && !onFields && !isCode(error, "META_UNAVAILABLE") && <ProblemAlert error={error} />}
    </form>
  );
}

function Connection({ settings, onChange }: { settings: SocialSettings; onChange: (s: SocialSettings) => void }) {
  const t = useT();
  const when = useWhen();
  const c = settings.connection;
  const [confirming, setConfirming] = useState(false);
  const [changing, setChanging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function disconnect() {
    setBusy(true);
    setError(null);
    try {
      await api.del(`${storePath()}/social`);
      setConfirming(false);
      onChange({ ...settings, connection: null });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  function connected(s: SocialSettings) {
    setChanging(false);
    onChange(s);
  }

  if (!c) return <ConnectForm again={false} onDone={connected} />;
  const reconnect = c.status === "needs_reconnect";
  return (
    <div className="flex flex-col gap-3">
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-muted">{t("social.page")}</dt>
        <dd className="min-w-0 break-words"><bdi>{c.page_name}</bdi> <span className="text-xs text-muted" dir="ltr">({c.page_id})</span></dd>
        <dt className="text-muted">{t("social.instagram")}</dt>
        <dd className="min-w-0 break-words">{c.instagram_username ? <bdi dir="ltr">@{c.instagram_username}</bdi> : t("social.noInstagram")}</dd>
        <dt className="text-muted">{t("social.status")}</dt>
        <dd><Badge tone={reconnect ? "bad" : "good"}>{reconnect ? t("social.needsReconnect") : t("social.connected")}</Badge></dd>
        <dt className="text-muted">{t("social.since")}</dt>
        <dd><bdi>{when(c.connected_at)}</bdi></dd>
      </dl>
      {reconnect && (
        <div role="alert" className="rounded-md border border-bad/50 bg-bad/10 p-3 text-sm">
          <p className="font-semibold">{t("social.reconnectTitle")}</p>
          {c.last_error && <p dir="auto" className="break-words">{fill(t("social.reconnectWhy"), { error: <bdi>{c.last_error}</bdi> })}</p>}
          <p>{t("social.reconnectDo")}</p>
        </div>
      )}
      {(reconnect || changing) ? <ConnectForm again onDone={connected} /> : (
        <Button variant="secondary" onClick={() => setChanging(true)}>{t("social.change")}</Button>
      )}
      {confirming ? (
        <div role="group" aria-label={t("social.disconnect")} className="flex flex-col gap-2 rounded-md border border-warn/50 bg-warn/10 p-3 text-sm">
          <p>{t("social.disconnectConfirm")}</p>
          <div className="flex flex-wrap gap-2">
            <Button variant="danger" busy={busy} onClick={() => void disconnect()}>{t("social.disconnectYes")}</Button>
            <Button variant="ghost" disabled={busy} onClick={() => setConfirming(false)}>{t("social.keep")}</Button>
          </div>
        </div>
      ) : (
        <Button variant="ghost" onClick={() => setConfirming(true)}>{t("social.disconnect")}</Button>
      )}
      {error != null && <ProblemAlert error={error} />}
    </div>
  );
}

function Platform({ name, post }: { name: "facebook" | "instagram"; post: SocialPost }) {
  const t = useT();
  const when = useWhen();
  const fb = name === "facebook";
  const at = fb ? post.facebook_published_at : post.instagram_published_at;
  const err = fb ? post.facebook_error : post.instagram_error;
  const m = post.metrics;
  const figures: [string, number][] = fb
    ? m.facebook ? [["likes", m.facebook.likes], ["comments", m.facebook.comments], ["shares", m.facebook.shares]] : []
    : IG_METRICS.filter((k) => m.instagram?.[k] !== undefined).map((k) => [k, m.instagram![k]!]);
  return (
    <li className="flex flex-col gap-0.5">
      <span>
        <strong>{t(`social.${name}`)}</strong>{": "}
        {at ? fill(t("social.publishedAt"), { time: <bdi>{when(at)}</bdi> }) : err ? <span className="text-bad">{t("social.refused")}</span> : t("social.waiting")}
      </span>
      {err && <span dir="auto" className="break-words text-xs text-bad">{err}</span>}
      {figures.length > 0 && (
        <span className="text-xs text-muted">{figures.map(([k, n]) => `${t(`social.metric.${k}`)} ${n.toLocaleString()}`).join(" · ")}</span>
      )}
    </li>
  );
}

function PostItem({ post, onCancelled }: { post: SocialPost; onCancelled: () => void }) {
  const t = useT();
  const when = useWhen();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function cancel() {
    setBusy(true);
    setError(null);
    try {
      await api.del(`${storePath()}/social/posts/${post.id}`);
      onCancelled();
    } catch (e) {
      setError(e);
      if (isCode(e, "POST_NOT_QUEUED")) onCancelled(); // it moved on: show its new state
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="flex flex-col gap-2 border-t border-line py-3 first:border-t-0" aria-labelledby={`social-post-${post.id}`}>
      <div className="flex items-start gap-3">
        {post.image_url && <img src={post.image_url} alt="" width={64} height={64} loading="lazy" className="size-16 shrink-0 rounded object-cover" />}
        <div className="min-w-0 flex-1">
          <p id={`social-post-${post.id}`} className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone={STATUS_TONE[post.status]}>{t(`social.post.${post.status}`)}</Badge>
            <span className="text-xs text-muted">
              {post.status === "queued"
                ? fill(t("social.scheduled"), { time: <bdi>{when(post.scheduled_at)}</bdi> })
                : fill(t("social.scheduledWas"), { time: <bdi>{when(post.scheduled_at)}</bdi> })}
            </span>
          </p>
          <p dir="auto" className="mt-1 line-clamp-4 whitespace-pre-line break-words text-sm">{post.caption}</p>
        </div>
      </div>
      {post.platforms.length > 0 && (
        <ul className="flex flex-col gap-1 text-sm" aria-label={t("social.platforms")}>
          {post.platforms.includes("facebook") && <Platform name="facebook" post={post} />}
          {post.platforms.includes("instagram") && <Platform name="instagram" post={post} />}
        </ul>
      )}
      {post.status === "queued" && (
        <Button variant="secondary" className="self-start" busy={busy} onClick={() => void cancel()}>{t("social.cancelPost")}</Button>
      )}
      {isCode(error, "POST_NOT_QUEUED") ? <p role="alert" className="text-sm text-bad">{t("social.notQueued")}</p> : error != null && <ProblemAlert error={error} />}
    </li>
  );
}

function Posts() {
  const t = useT();
  const [posts, setPosts] = useState<SocialPost[]>();
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback((p: number) => {
    api.get<SocialPostPage>(`${storePath()}/social/posts`, { page: p }).then((r) => {
      setPosts((xs) => (p === 1 ? r.posts : [...(xs ?? []), ...r.posts.filter((n) => !xs?.some((x) => x.id === n.id))]));
      setTotal(r.total);
      setPage(p);
      setError(null);
    }, setError);
  }, []);
  useEffect(() => load(1), [load]);

  return (
    <section aria-labelledby="social-posts-title" className="flex flex-col gap-1">
      <h3 id="social-posts-title" className="font-semibold">{t("social.posts")}</h3>
      {error != null && <ProblemAlert error={error} />}
      {posts?.length === 0 && <p className="text-sm text-muted">{t("social.noPosts")}</p>}
      {posts && posts.length > 0 && (
        <ul aria-label={t("social.posts")}>
          {posts.map((p) => <PostItem key={p.id} post={p} onCancelled={() => load(1)} />)}
        </ul>
      )}
      {posts && posts.length < total && <Button variant="ghost" onClick={() => load(page + 1)}>{t("social.more")}</Button>}
    </section>
  );
}

export function Social() {
  const t = useT();
  const slug = useStores((s) => s.current?.slug);
  const [settings, setSettings] = useState<SocialSettings>();
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.get<SocialSettings>(`${storePath()}/social`).then((s) => {
      setSettings(s);
      setError(null);
    }, setError);
  }, [slug]);

  if (isCode(error, "PRO_REQUIRED")) {
    return (
      <Card title={t("social.title")}>
        <p className="mb-2 text-sm">{t("social.proOnly")}</p>
        <Link to="/settings" className="inline-flex min-h-10 items-center rounded-md bg-accent px-4 py-2 text-sm font-semibold text-accent-fg">{t("social.seePlan")}</Link>
      </Card>
    );
  }
  return (
    <Card title={t("social.title")}>
      {error != null && <ProblemAlert error={error} />}
      {!settings && error == null && <p role="status">{t("common.loading")}</p>}
      {settings && (
        <div className="flex flex-col gap-4">
          <p className="text-sm text-muted">{fill(t("social.intro"), { n: <bdi>{settings.posts_per_day}</bdi> })}</p>
          {!settings.images_ready && <p role="status" className="rounded border border-warn/40 bg-warn/10 px-2 py-1 text-sm text-warn">{t("social.imagesNotReady")}</p>}
          <Connection settings={settings} onChange={setSettings} />
          <Posts />
        </div>
      )}
    </Card>
  );
}
