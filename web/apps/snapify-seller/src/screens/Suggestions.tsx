// The AI content pipeline's suggestions beside the seller's own text, in the product editor.
// Each suggestion for a field (title, description, SEO title, SEO description) shows what the
// product has now and what the AI proposes, with Accept, Edit (then accept the edited text) and
// Dismiss. The server never writes over an edit: accepting a suggestion for a field the seller
// changed since it was made is refused (409 FIELD_EDITED), which opens the editor here with the
// suggestion so the seller can choose the words. What the AI only found (the photo's colour and
// material, a voice note's transcript, keywords, the social post) is listed below the fields.
//
// The pipeline runs as a job after a photo is set, so the editor may open before its results
// exist: while the product's first photo has no run yet (and the product changed recently), the
// list is asked for again every 5 seconds; it stops once the run is there.
import { useCallback, useEffect, useState } from "react";
import { ApiError, Button, ProblemAlert } from "@alorig/ui";
import type { components } from "@alorig/api/snapify";
import { api } from "../api";
import { useT } from "../i18n";
import { storePath } from "../store";
import type { Product } from "../types";

export type Suggestion = components["schemas"]["Suggestion"];
type SuggestionList = components["schemas"]["suggestionList"];
type AcceptInput = components["schemas"]["AcceptSuggestionInput"];

/** The fields a suggestion can change; the editor's form holds title and description. */
export type SuggestedField = "title" | "description" | "seo_title" | "seo_description";
const FIELDS: readonly SuggestedField[] = ["title", "description", "seo_title", "seo_description"];

/** How often the list is asked for while a run is awaited. */
export const POLL_MS = 5_000;
/** A run is awaited only this long after the product last changed (a job that failed for good stops the asking). */
export const RUN_WINDOW_MS = 10 * 60_000;

const isField = (f: Suggestion["field"]): f is SuggestedField => (FIELDS as readonly string[]).includes(f);

/**
 * The source the server gives the run of a photo with no voice note (content_jobs.go
 * contentSource): the first 8 bytes of SHA-256("c1 " + photo hash), in hex.
 */
export async function photoSource(hash: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`c1 ${hash}`));
  return [...new Uint8Array(d).slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Whether the pipeline's run for the product's first photo is still to come: the product has a
 * photo, no listed suggestion comes from that photo's run, and the product changed less than
 * RUN_WINDOW_MS ago. A run with a voice note has another source; its transcript row marks it.
 */
export function awaitingRun(product: Pick<Product, "images" | "updated_at">, list: Suggestion[], source: string | undefined, now = Date.now()): boolean {
  if (product.images.length === 0 || source === undefined) return false;
  if (now - Date.parse(product.updated_at) > RUN_WINDOW_MS) return false;
  const newest = list[0];
  if (newest && newest.field === "transcript" && Date.parse(newest.created_at) >= Date.parse(product.updated_at)) return false;
  return !list.some((s) => s.source === source);
}

function Text({ value, empty }: { value: string; empty: string }) {
  return value.trim() === ""
    ? <p className="text-sm italic text-muted">{empty}</p>
    : <p dir="auto" className="whitespace-pre-line break-words text-sm">{value}</p>;
}

function FieldSuggestion({ s, path, onDone }: { s: Suggestion; path: string; onDone: (s: Suggestion, field: SuggestedField, value: string) => void }) {
  const t = useT();
  const field = s.field as SuggestedField;
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(s.value);
  const [busy, setBusy] = useState<"accept" | "dismiss" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refusedEdit = error instanceof ApiError && error.code === "FIELD_EDITED";
  const label = t(`sugg.field.${field}`);
  const headingId = `sugg-${s.id}`;

  async function accept(value?: string) {
    setBusy("accept");
    setError(null);
    try {
      const body: AcceptInput = value === undefined ? {} : { value };
      const done = await api.post<Suggestion>(`${path}/${s.id}/accept`, body);
      onDone(done, field, done.value);
    } catch (e) {
      setError(e);
      // The seller changed the field since: offer the suggestion as text to edit and accept.
      if (e instanceof ApiError && e.code === "FIELD_EDITED") setEditing(true);
    } finally {
      setBusy(null);
    }
  }

  async function dismiss() {
    setBusy("dismiss");
    setError(null);
    try {
      const done = await api.post<Suggestion>(`${path}/${s.id}/dismiss`);
      // Text the pipeline filled in goes back to what the field held, unless edited since.
      onDone(done, field, s.status === "applied" && !s.edited ? s.base : s.current);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <li className="rounded-md border border-line p-3" aria-labelledby={headingId}>
      <h4 id={headingId} className="mb-2 flex flex-wrap items-center gap-2 text-sm font-semibold">
        {label}
        <span className={`rounded px-1.5 text-xs font-normal ${s.status === "failed" ? "bg-bad/10 text-bad" : "bg-accent/10"}`}>{t(`sugg.status.${s.status}`)}</span>
        {s.offline && <span className="text-xs font-normal text-muted">{t("sugg.offline")}</span>}
      </h4>
      {s.status === "failed" ? (
        <p className="text-sm">{t("sugg.failed", { error: s.error ?? "" })}</p>
      ) : (
        <div className="grid gap-2 sm:grid-cols-2">
          <div className="min-w-0">
            <p className="text-xs text-muted">{t("sugg.yours")}</p>
            <Text value={s.current} empty={t("sugg.empty")} />
          </div>
          <div className="min-w-0 rounded bg-raised p-2">
            <p className="text-xs text-muted">{t("sugg.suggested")}</p>
            <Text value={s.value} empty={t("sugg.empty")} />
          </div>
        </div>
      )}
      {s.status === "applied" && <p className="mt-2 text-xs text-muted">{t("sugg.appliedNote")}</p>}
      {s.edited && !refusedEdit && s.status !== "failed" && <p className="mt-2 text-xs text-warn">{t("sugg.editedNote")}</p>}
      {refusedEdit && <p role="alert" className="mt-2 rounded border border-warn bg-warn/10 p-2 text-sm">{t("sugg.fieldEdited")}</p>}
      {error != null && !refusedEdit && <ProblemAlert error={error} className="mt-2" />}
      {editing && (
        <div className="mt-2 flex flex-col gap-1">
          <label htmlFor={`sugg-edit-${s.id}`} className="text-xs font-medium">{t("sugg.editLabel", { field: label })}</label>
          <textarea id={`sugg-edit-${s.id}`} dir="auto" rows={field === "description" ? 5 : 2} value={text} onChange={(e) => setText(e.target.value)}
            className="rounded-md border border-line bg-surface px-3 py-2 text-sm" />
        </div>
      )}
      <div className="mt-2 flex flex-wrap gap-2">
        {s.status !== "failed" && (editing ? (
          <>
            <Button busy={busy === "accept"} disabled={busy !== null || text.trim() === ""} onClick={() => void accept(text)}>{t("sugg.acceptEdited")}</Button>
            <Button variant="ghost" disabled={busy !== null} onClick={() => { setEditing(false); setText(s.value); setError(null); }}>{t("sugg.cancel")}</Button>
          </>
        ) : (
          <>
            <Button busy={busy === "accept"} disabled={busy !== null || s.value.trim() === ""} onClick={() => void accept()}>{t("sugg.accept")}</Button>
            <Button variant="secondary" disabled={busy !== null} onClick={() => setEditing(true)}>{t("sugg.edit")}</Button>
          </>
        ))}
        <Button variant="ghost" busy={busy === "dismiss"} disabled={busy !== null} onClick={() => void dismiss()}>{t("sugg.dismiss")}</Button>
      </div>
    </li>
  );
}

const obj = (d: unknown): Record<string, unknown> => (d !== null && typeof d === "object" && !Array.isArray(d) ? (d as Record<string, unknown>) : {});
const strs = (d: unknown): string[] => (Array.isArray(d) ? d.filter((x): x is string => typeof x === "string") : []);

/** What the pipeline found without changing a field: attributes, transcript, keywords, the social post. */
function Findings({ list }: { list: Suggestion[] }) {
  const t = useT();
  const rows: { key: string; label: string; text: string; image?: string }[] = [];
  for (const s of list) {
    if (s.status === "failed" || s.status === "dismissed") continue;
    const d = obj(s.data);
    if (s.field === "attributes") {
      const parts = (["category", "colour", "material", "style"] as const).filter((k) => typeof d[k] === "string" && d[k] !== "")
        .map((k) => `${t(`sugg.attr.${k}`)}: ${String(d[k])}`);
      if (parts.length) rows.push({ key: `${s.id}`, label: t("sugg.info.attributes"), text: parts.join(" · ") });
    } else if (s.field === "transcript" && s.value) {
      rows.push({ key: `${s.id}`, label: t("sugg.info.transcript"), text: s.value });
    } else if (s.field === "seo" && strs(d.keywords).length) {
      rows.push({ key: `${s.id}`, label: t("sugg.info.keywords"), text: strs(d.keywords).join(", ") });
    } else if (s.field === "social" && s.value) {
      rows.push({ key: `${s.id}`, label: t("sugg.info.social"), text: s.value, image: typeof d.image_url === "string" ? d.image_url : undefined });
    }
  }
  if (rows.length === 0) return null;
  return (
    <details className="rounded-md border border-line p-3 text-sm">
      <summary className="cursor-pointer font-semibold">{t("sugg.findings")}</summary>
      <dl className="mt-2 flex flex-col gap-2">
        {rows.map((r) => (
          <div key={r.key} className="min-w-0">
            <dt className="text-xs text-muted">{r.label}</dt>
            <dd dir="auto" className="whitespace-pre-line break-words">{r.text}</dd>
            {r.image && <dd><img src={r.image} alt={t("sugg.postImage")} width={160} height={160} className="mt-1 size-40 rounded object-cover" /></dd>}
          </div>
        ))}
      </dl>
    </details>
  );
}

/**
 * The suggestions panel for an existing product. onApplied tells the form a field's text
 * changed (accepted, or filled-in text dismissed), so saving the form does not put the old
 * text back.
 */
export function Suggestions({ product, onApplied }: { product: Product; onApplied?: (field: SuggestedField, value: string) => void }) {
  const t = useT();
  const path = `${storePath()}/products/${product.id}/suggestions`;
  const [list, setList] = useState<Suggestion[]>();
  const [error, setError] = useState<unknown>(null);
  const [src, setSrc] = useState<{ hash: string; source: string }>();
  const hash = product.images[0]?.hash;
  const source = hash !== undefined && src?.hash === hash ? src.source : undefined;

  const load = useCallback(() => {
    api.get<SuggestionList>(path).then((r) => {
      setList(r.suggestions);
      setError(null);
    }, setError);
  }, [path]);

  useEffect(load, [load]);

  useEffect(() => {
    if (hash === undefined) return;
    let live = true;
    photoSource(hash).then((s) => live && setSrc({ hash, source: s }), setError);
    return () => {
      live = false;
    };
  }, [hash]);

  const awaiting = list !== undefined && awaitingRun(product, list, source);
  useEffect(() => {
    if (!awaiting) return;
    const id = setInterval(load, POLL_MS);
    return () => clearInterval(id);
  }, [awaiting, load]);

  function done(s: Suggestion, field: SuggestedField, value: string) {
    setList((xs) => xs?.map((x) => (x.id === s.id ? { ...x, ...s } : x)));
    if (s.status === "accepted" || s.status === "dismissed") onApplied?.(field, value);
    load(); // the other suggestions' "yours" text may have changed with it
  }

  const open = (list ?? []).filter((s) => isField(s.field) && (s.status === "pending" || s.status === "applied" || s.status === "failed"));
  return (
    <section aria-labelledby="sugg-title" className="mt-4 flex flex-col gap-2 border-t border-line pt-4">
      <h3 id="sugg-title" className="font-semibold">{t("sugg.title")}</h3>
      {awaiting && <p role="status" className="text-sm text-muted">{t("sugg.running")}</p>}
      {error != null && <ProblemAlert error={error} />}
      {list !== undefined && !awaiting && open.length === 0 && <p className="text-sm text-muted">{t(product.images.length ? "sugg.none" : "sugg.needPhoto")}</p>}
      {open.length > 0 && (
        <ul className="flex flex-col gap-2" aria-label={t("sugg.title")}>
          {open.map((s) => <FieldSuggestion key={`${s.id}:${s.status}`} s={s} path={path} onDone={done} />)}
        </ul>
      )}
      {list && <Findings list={list} />}
    </section>
  );
}
