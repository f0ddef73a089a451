// Journal: the violations history (newest first, more on request; a new violation on the live
// channel fetches it again), the behavioural patterns detected from it, and the session
// reflections: write one for today, read the earlier ones with their prompt and summary.
import { useId, useState, type FormEvent } from "react";
import { Badge, Button, Card, ProblemAlert, fieldError, useLocale } from "@alorig/ui";
import { api } from "../api";
import { useT } from "../i18n";
import { useLive } from "../live/store";
import type { components } from "@alorig/api/psydge";
import type { Reflection, ViolationRow } from "../types";
import { useGet } from "./useGet";

type PatternRow = components["schemas"]["PatternRow"];

const PAGE = 50;
/** The most the API lists in one answer (limitParam's cap on GET /violations). */
const MAX_VIOLATIONS = 500;
/** The server's bound on a reflection (ReflectionRequest.Validate). */
export const MAX_NOTES = 20_000;

export function JournalScreen() {
  const t = useT();
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <h1 className="text-xl font-bold">{t("journal.title")}</h1>
      <div className="grid gap-4 lg:grid-cols-2">
        <Reflections />
        <Patterns />
      </div>
      <Violations />
    </div>
  );
}

function useDateTime() {
  const locale = useLocale((s) => s.locale);
  return (iso: string) => new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

interface GateLike {
  gate?: string;
  code?: string;
  reason?: string;
  passed?: boolean;
}

/** The reason a violation was refused: the failing gate whose code it carries, else the first failing gate. */
export function violationReason(v: ViolationRow): string {
  const gates = Array.isArray(v.gates) ? (v.gates as GateLike[]) : [];
  const hit = gates.find((g) => g.code === v.violation_code && g.passed === false) ?? gates.find((g) => g.passed === false);
  return hit?.reason ?? "";
}

function Violations() {
  const t = useT();
  const when = useDateTime();
  const [limit, setLimit] = useState(PAGE);
  // A violation pushed on the live channel (the store keeps the newest) fetches the list again.
  const newest = useLive((s) => s.violations[0]?.id ?? 0);
  const got = useGet<ViolationRow[]>("/violations", { limit }, newest);
  const rows = got.data ?? [];
  const more = rows.length >= limit && limit < MAX_VIOLATIONS;
  return (
    <Card title={t("journal.violations")}>
      {got.error !== undefined && <ProblemAlert error={got.error} className="mb-3" />}
      {got.data && rows.length === 0 && <p className="text-sm text-muted">{t("journal.noViolations")}</p>}
      {rows.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{t("journal.violations")}</caption>
            <thead>
              <tr className="text-start text-muted">
                <th scope="col" className="py-1 pe-3 text-start">{t("journal.when")}</th>
                <th scope="col" className="py-1 pe-3 text-start">{t("journal.level")}</th>
                <th scope="col" className="py-1 pe-3 text-start">{t("journal.code")}</th>
                <th scope="col" className="py-1 text-start">{t("journal.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((v) => (
                <tr key={v.id} data-violation={v.id} className="border-t border-line align-top">
                  <td className="py-2 pe-3 sm:whitespace-nowrap">{when(v.created_at)}</td>
                  <td className="py-2 pe-3">
                    <Badge tone={v.level_number >= 3 ? "bad" : v.level_number === 2 ? "warn" : "neutral"}>L{v.level_number}</Badge>
                  </td>
                  <td className="py-2 pe-3 font-mono break-all sm:break-normal">{v.gate ? `${v.gate} · ` : ""}{v.violation_code}</td>
                  <td className="py-2">{violationReason(v) || t(`journal.code.${v.violation_code}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more && (
        <Button variant="secondary" className="mt-3" busy={got.loading} onClick={() => setLimit((l) => Math.min(MAX_VIOLATIONS, l + PAGE))}>
          {t("journal.more")}
        </Button>
      )}
    </Card>
  );
}

/** The client's check of a reflection before it is sent, mirroring the server's. */
export function notesProblem(notes: string): "empty" | "long" | undefined {
  const n = notes.trim().length;
  if (n === 0) return "empty";
  if (n > MAX_NOTES) return "long";
  return undefined;
}

function Reflections() {
  const t = useT();
  const when = useDateTime();
  const id = useId();
  const [version, setVersion] = useState(0);
  const got = useGet<Reflection[]>("/reflections", { limit: 30 }, version);
  const [notes, setNotes] = useState("");
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const problem = notesProblem(notes);
  const shownProblem = (tried || problem === "long") && problem ? t(`journal.notes.${problem}`, { max: MAX_NOTES }) : undefined;
  const err = shownProblem ?? fieldError(error, "session_notes");

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    setSaved(false);
    if (problem) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.post<Reflection>("/reflections", { session_notes: notes.trim() });
      setNotes("");
      setTried(false);
      setSaved(true);
      setVersion((v) => v + 1);
    } catch (e2) {
      setError(e2);
    } finally {
      setBusy(false);
    }
  }

  const latestPrompt = got.data?.[0]?.ai_prompt;
  return (
    <Card title={t("journal.reflections")}>
      <form aria-label={t("journal.write")} noValidate onSubmit={submit} className="flex flex-col gap-2">
        <label htmlFor={`${id}-notes`} className="text-sm font-medium">{t("journal.notes")}</label>
        {latestPrompt && <p id={`${id}-prompt`} className="text-sm text-muted">{latestPrompt}</p>}
        <textarea
          id={`${id}-notes`}
          name="session_notes"
          rows={5}
          value={notes}
          onChange={(e) => { setNotes(e.target.value); setSaved(false); }}
          aria-invalid={err ? true : undefined}
          aria-describedby={[latestPrompt ? `${id}-prompt` : "", `${id}-count`, err ? `${id}-err` : ""].filter(Boolean).join(" ")}
          className="rounded-md border border-line bg-surface p-2 text-fg aria-[invalid=true]:border-bad"
        />
        <p id={`${id}-count`} className="text-xs text-muted">{t("journal.count", { n: notes.trim().length, max: MAX_NOTES })}</p>
        {err && <p id={`${id}-err`} className="text-sm text-bad">{err}</p>}
        {error !== undefined && !fieldError(error, "session_notes") && <ProblemAlert error={error} />}
        <div className="flex items-center gap-3">
          <Button type="submit" busy={busy}>{t("journal.save")}</Button>
          <p role="status" className="text-sm text-muted">{saved ? t("journal.saved") : ""}</p>
        </div>
      </form>
      <h3 className="mt-4 mb-2 text-sm font-semibold">{t("journal.earlier")}</h3>
      {got.error !== undefined && <ProblemAlert error={got.error} />}
      {got.data && got.data.length === 0 && <p className="text-sm text-muted">{t("journal.noReflections")}</p>}
      <ul className="flex flex-col gap-3">
        {got.data?.map((r) => (
          <li key={r.id} className="rounded-md border border-line p-3 text-sm">
            <p className="text-xs text-muted"><time dateTime={r.created_at}>{r.date} · {when(r.created_at)}</time></p>
            <p className="mt-1 whitespace-pre-wrap">{r.session_notes}</p>
            {r.ai_summary && <p className="mt-2 text-muted"><span className="font-semibold">{t("journal.summary")}</span> {r.ai_summary}</p>}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function Patterns() {
  const t = useT();
  const when = useDateTime();
  const newest = useLive((s) => s.violations[0]?.id ?? 0);
  const got = useGet<PatternRow[]>("/patterns", undefined, newest);
  return (
    <Card title={t("journal.patterns")}>
      <p className="mb-2 text-sm text-muted">{t("journal.patterns.intro")}</p>
      {got.error !== undefined && <ProblemAlert error={got.error} />}
      {got.data && got.data.length === 0 && <p className="text-sm text-muted">{t("journal.noPatterns")}</p>}
      <ul className="flex flex-col gap-2">
        {got.data?.map((p) => (
          <li key={p.pattern_type} className="rounded-md border border-line p-3 text-sm">
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-semibold">{t(`pattern.${p.pattern_type}`)}</span>
              <Badge tone={p.trend === "rising" ? "bad" : p.trend === "falling" ? "good" : "neutral"}>{t(`trend.${p.trend}`)}</Badge>
            </p>
            <p className="text-muted">
              {t("journal.patternLine", { count: p.occurrence_count, recent: p.recent_count, prior: p.prior_count, last: when(p.last_instance) })}
            </p>
          </li>
        ))}
      </ul>
    </Card>
  );
}
