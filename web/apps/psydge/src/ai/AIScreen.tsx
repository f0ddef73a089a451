// The AI screen: which of the four roles are on and what placement does when the pre-entry
// validator cannot answer (PUT /api/v1/ai/settings), whether the AI is offline, and the
// history of every call (GET /api/v1/ai/interactions), paged and filtered by role, with the
// live channel's newest on top. The AI only proposes and tightens; this screen says so.
import { useId, useState, type FormEvent } from "react";
import { Badge, Button, Card, ProblemAlert, useLocale } from "@alorig/ui";
import { api } from "../api";
import { useT } from "../i18n";
import { useLive } from "../live/store";
import { useGet } from "../review/useGet";
import type { AICall, AISettingsRequest, AISettingsView } from "../types";
import { Decision, useWhen } from "./Decision";
import { HISTORY_ROLES, ROLES, formatCost, isOffline, type Role } from "./decision";
import { useHistory, withLive } from "./history";

export function AIScreen() {
  const t = useT();
  const got = useGet<AISettingsView>("/ai/settings");
  // The PUT's answer is what is now in force: the form starts again from it.
  const [saved, setSaved] = useState<AISettingsView>();
  const view = saved ?? got.data;
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-4">
      <h1 className="text-xl font-bold">{t("ai.title")}</h1>
      <p className="text-sm text-muted">{t("ai.intro")}</p>
      {got.error !== undefined && <ProblemAlert error={got.error} />}
      {view && <ProviderState view={view} />}
      {view ? (
        <SettingsForm key={JSON.stringify(requestOf(view))} view={view} justSaved={saved !== undefined} onSaved={setSaved} />
      ) : (
        got.loading && <p role="status">{t("common.loading")}</p>
      )}
      <HistoryCard offlineKnown={view?.offline} />
    </div>
  );
}

function requestOf(v: AISettingsRequest): AISettingsRequest {
  return {
    trade_supervisor: v.trade_supervisor, pre_entry_validator: v.pre_entry_validator,
    behavioral_predictor: v.behavioral_predictor, session_debrief: v.session_debrief, pre_entry_failure: v.pre_entry_failure,
  };
}

/** Which provider answers: offline is said plainly, as the API reports it. */
function ProviderState({ view }: { view: AISettingsView }) {
  const t = useT();
  if (view.offline) {
    return (
      <div role="status" data-ai-offline="true" className="rounded-md border border-warn/50 bg-warn/10 p-3 text-sm">
        <p className="flex items-center gap-2 font-semibold"><Badge tone="warn">offline</Badge>{t("ai.offline")}</p>
        <p className="mt-1">{t("ai.offlineBody")}</p>
      </div>
    );
  }
  return (
    <p role="status" data-ai-offline="false" className="flex items-center gap-2 text-sm">
      <Badge tone="good">{view.provider}</Badge>{t("ai.online", { provider: view.provider })}
    </p>
  );
}

function SettingsForm({ view, justSaved, onSaved }: { view: AISettingsView; justSaved: boolean; onSaved(v: AISettingsView): void }) {
  const t = useT();
  const base = requestOf(view);
  const [draft, setDraft] = useState<AISettingsRequest>(base);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const changed = JSON.stringify(draft) !== JSON.stringify(base);
  const failureId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!changed) return;
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await api.put<AISettingsView>("/ai/settings", draft));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("ai.settings")}>
      <form aria-label={t("ai.settingsForm")} noValidate onSubmit={submit} className="flex flex-col gap-4">
        <ul className="flex flex-col gap-3">
          {ROLES.map((r) => (
            <RoleSwitch key={r} role={r} on={draft[r]} onChange={(on) => setDraft({ ...draft, [r]: on })} />
          ))}
        </ul>
        <fieldset aria-describedby={failureId} className="rounded-md border border-line p-3">
          <legend className="px-1 text-sm font-semibold">{t("ai.failure")}</legend>
          <p id={failureId} className="mb-2 text-xs text-muted">
            {t("ai.failureHint")}{!draft.pre_entry_validator && <> {t("ai.failureInactive")}</>}
          </p>
          <div className="flex flex-col gap-2">
            {(["fail_closed", "fail_open"] as const).map((p) => (
              <label key={p} className="inline-flex min-h-10 items-center gap-2 text-sm">
                <input type="radio" name="pre_entry_failure" value={p} checked={draft.pre_entry_failure === p}
                  onChange={() => setDraft({ ...draft, pre_entry_failure: p })} />
                {t(`ai.${p}`)}
              </label>
            ))}
          </div>
        </fieldset>
        {error !== undefined && <ProblemAlert error={error} />}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" busy={busy} disabled={!changed}>{t("ai.save")}</Button>
          <p role="status" className="text-sm text-muted">
            {justSaved && !changed && error === undefined ? t("ai.saved") : ""}
          </p>
        </div>
      </form>
    </Card>
  );
}

function RoleSwitch({ role, on, onChange }: { role: Role; on: boolean; onChange(on: boolean): void }) {
  const t = useT();
  const id = useId();
  return (
    <li className="flex items-start gap-3">
      <input id={id} type="checkbox" role="switch" checked={on} aria-describedby={`${id}-about`}
        onChange={(e) => onChange(e.target.checked)} className="mt-1 size-5 shrink-0 accent-accent" />
      <div className="flex flex-col">
        <label htmlFor={id} className="text-sm font-semibold">{t(`ai.role.${role}`)}</label>
        <p id={`${id}-about`} className="text-xs text-muted">{t(`ai.about.${role}`)}</p>
      </div>
    </li>
  );
}

function HistoryCard({ offlineKnown }: { offlineKnown?: boolean }) {
  const t = useT();
  const [role, setRole] = useState("");
  const h = useHistory(role);
  const live = useLive((s) => s.aiMessages);
  const rows = withLive(h.items, live, role);
  const sawOffline = offlineKnown === false && rows.some(isOffline);
  return (
    <Card title={t("ai.history")} actions={<Button variant="secondary" onClick={h.reload} busy={h.loading && !h.loaded}>{t("ai.refresh")}</Button>}>
      <label className="mb-3 flex w-fit flex-col gap-1 text-sm">
        <span className="font-medium">{t("ai.filterRole")}</span>
        <select value={role} onChange={(e) => setRole(e.target.value)} className="min-h-10 rounded-md border border-line bg-surface px-2">
          <option value="">{t("ai.allRoles")}</option>
          {HISTORY_ROLES.map((r) => <option key={r} value={r}>{t(`ai.role.${r}`)}</option>)}
        </select>
      </label>
      {sawOffline && <p className="mb-3 text-sm text-warn">{t("ai.offlineSeen")}</p>}
      {h.error !== undefined && <ProblemAlert error={h.error} className="mb-3" />}
      {h.loaded && rows.length === 0 && <p className="text-sm text-muted">{t("ai.none")}</p>}
      {rows.length > 0 && (
        <ol aria-label={t("ai.historyList")} className="flex flex-col gap-3">
          {rows.map((r) => <Interaction key={r.id} row={r} live={r.id > (h.items[0]?.id ?? Infinity)} />)}
        </ol>
      )}
      <div className="mt-3 flex items-center gap-3">
        {h.next > 0 && <Button variant="secondary" onClick={h.older} busy={h.loading}>{t("ai.older")}</Button>}
        {h.loaded && h.next === 0 && rows.length > 0 && <p className="text-sm text-muted">{t("ai.end")}</p>}
        {!h.loaded && h.loading && <p role="status" className="text-sm">{t("common.loading")}</p>}
      </div>
    </Card>
  );
}

function Interaction({ row, live }: { row: AICall; live: boolean }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const when = useWhen();
  const outcome = row.outcome || "ok";
  return (
    <li data-ai-interaction={row.id} data-role={row.role} data-outcome={outcome} className="rounded-md border border-line p-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold">{t(`ai.role.${row.role}`)}</span>
        <Badge tone={outcome === "ok" ? "good" : "bad"}>{t(`ai.outcome.${outcome}`)}</Badge>
        {isOffline(row) && <Badge tone="warn">offline</Badge>}
        {live && <Badge>{t("ai.live")}</Badge>}
        {row.trade_id !== undefined && <span className="text-sm text-muted">{t("ai.trade", { id: row.trade_id })}</span>}
        {row.trigger && <span className="text-sm text-muted">{t("ai.trigger", { trigger: row.trigger })}</span>}
        <time dateTime={row.created_at} className="ms-auto text-sm text-muted">{when(row.created_at)}</time>
      </div>
      <div className="mt-2">
        <Decision row={row} />
      </div>
      {row.error && <p className="mt-2 text-sm text-bad">{t("ai.error")}: {row.error}</p>}
      <dl className="mt-2 grid grid-cols-2 gap-x-3 gap-y-1 text-xs sm:grid-cols-4">
        {row.model && <Pair k={t("ai.model")} v={row.provider && row.provider !== row.model ? `${row.provider} · ${row.model}` : row.model} />}
        {row.input_tokens !== undefined && <Pair k={t("ai.tokens")} v={t("ai.tokensValue", { in: row.input_tokens, out: row.output_tokens ?? 0 })} />}
        {row.latency_ms !== undefined && <Pair k={t("ai.latency")} v={t("ai.latencyValue", { ms: row.latency_ms })} />}
        {row.attempts > 1 && <Pair k={t("ai.attempts")} v={String(row.attempts)} />}
        {row.cost_micro_usd !== undefined && <Pair k={t("ai.cost")} v={formatCost(row.cost_micro_usd, locale)} />}
      </dl>
      {row.output && row.decision != null && (
        <details className="mt-2 text-xs">
          <summary className="cursor-pointer text-muted">{t("ai.output")}</summary>
          <pre dir="ltr" className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-raised p-2">{row.output}</pre>
        </details>
      )}
    </li>
  );
}

function Pair({ k, v }: { k: string; v: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-muted">{k}</dt>
      <dd><bdi dir="ltr" className="break-words">{v}</bdi></dd>
    </div>
  );
}
