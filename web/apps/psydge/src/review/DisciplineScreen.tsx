// Settings: the discipline config editor, which offers only tightening, and the broker section.
// Every control is bounded by the locked rule and the trader's current value in the direction
// that tightens (tighten.ts); a value outside its bounds is named beside the field and keeps
// Save disabled. The server checks again, and a refusal (422 RULE_LOCKED, the rule as the
// field) is shown on its field.
import { useId, useState, type FormEvent } from "react";
import { Button, Card, Field, ProblemAlert, fieldError } from "@alorig/ui";
import { api } from "../api";
import { useT } from "../i18n";
import type { ConfigView } from "../types";
import { TIMEFRAMES } from "../market/selection";
import {
  RULE_OF, TIGHTENS, allows, boundsOf, checkConfig, hhmm, minutesOf, toggleWhitelist,
  sessionBounds, type Config, type NumericField, type Refusal, type SessionKey,
} from "./tighten";
import { useGet } from "./useGet";
import { BrokerSettings } from "../shell/BrokerSettings";

type T = ReturnType<typeof useT>;

export function DisciplineScreen() {
  const t = useT();
  const got = useGet<ConfigView>("/discipline-config");
  // The PUT's answer is the config now in force: the editor starts again from it.
  const [saved, setSaved] = useState<ConfigView>();
  const view = saved ?? got.data;
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-4">
      <h1 className="text-xl font-bold">{t("discipline.title")}</h1>
      <p className="text-sm text-muted">{t("discipline.intro")}</p>
      {got.error !== undefined && <ProblemAlert error={got.error} />}
      {view ? (
        <ConfigEditor key={JSON.stringify(view.config)} view={view} justSaved={saved !== undefined} onSaved={setSaved} />
      ) : (
        got.loading && <p role="status">{t("common.loading")}</p>
      )}
      {view && <LockedRules locked={view.locked_rules} />}
      <BrokerSettings />
    </div>
  );
}

/** How each numeric field is shown: the API keeps integers (milli-R, minutes, basis points). */
const UNITS: Record<NumericField, { scale: number; step: string }> = {
  loss_lock_mr: { scale: 1000, step: "any" },
  profit_lock_mr: { scale: 1000, step: "any" },
  cooldown_minutes: { scale: 1, step: "1" },
  max_risk_bp: { scale: 100, step: "any" },
  signal_bars: { scale: 1, step: "1" },
};

const FIELDS = Object.keys(UNITS) as NumericField[];

function shown(field: NumericField, v: number): string {
  return String(v / UNITS[field].scale);
}

function parsed(field: NumericField, s: string): number {
  if (s.trim() === "") return NaN;
  const n = Number(s) * UNITS[field].scale;
  // Round away binary noise (0.3 × 1000); a value finer than the API's unit stays fractional
  // and is refused as not a whole number of units.
  const r = Math.round(n);
  return Math.abs(n - r) < 1e-6 ? r : n;
}

function explain(t: T, r: Refusal | undefined): string | undefined {
  return r && t(r.key, r.vars);
}

function ConfigEditor({ view, justSaved, onSaved }: { view: ConfigView; justSaved: boolean; onSaved(v: ConfigView): void }) {
  const t = useT();
  const current = view.config;
  const locked = view.locked_rules;
  const [text, setText] = useState<Record<NumericField, string>>(
    () => Object.fromEntries(FIELDS.map((f) => [f, shown(f, current[f])])) as Record<NumericField, string>,
  );
  const [sessions, setSessions] = useState({ london: current.london, new_york: current.new_york });
  const [whitelist, setWhitelist] = useState(current.whitelist);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const proposed: Config = {
    ...current,
    ...(Object.fromEntries(FIELDS.map((f) => [f, parsed(f, text[f])])) as Record<NumericField, number>),
    ...sessions,
    whitelist,
  };
  const refusals = checkConfig(proposed, current, locked);
  const invalid = Object.keys(refusals).length > 0;
  const changed = JSON.stringify(proposed) !== JSON.stringify(current);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (invalid || !changed) return;
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await api.put<ConfigView>("/discipline-config", proposed));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const serverSaid = (rule: string) => fieldError(error, rule);

  return (
    <form aria-label={t("discipline.form")} noValidate onSubmit={submit} className="flex flex-col gap-4">
      <Card title={t("discipline.limits")}>
        <div className="grid gap-4 sm:grid-cols-2">
          {FIELDS.map((f) => {
            const b = boundsOf(f, current, locked);
            const s = UNITS[f].scale;
            return (
              <Field
                key={f}
                name={f}
                label={t(`discipline.${f}`)}
                type="number"
                inputMode="decimal"
                step={UNITS[f].step}
                min={b.min / s}
                max={b.max / s}
                value={text[f]}
                onChange={(e) => setText({ ...text, [f]: e.target.value })}
                hint={t(TIGHTENS[f] === "down" ? "discipline.hint.down" : "discipline.hint.up", {
                  locked: shown(f, locked[f]), current: shown(f, current[f]), min: b.min / s, max: b.max / s,
                })}
                error={explain(t, refusals[f]) ?? serverSaid(RULE_OF[f])}
              />
            );
          })}
        </div>
      </Card>

      <Card title={t("discipline.sessions")}>
        <div className="grid gap-4 sm:grid-cols-2">
          {(["london", "new_york"] as const).map((k) => (
            <SessionEditor key={k} k={k} value={sessions[k]} current={current} locked={locked}
              onChange={(v) => setSessions({ ...sessions, [k]: v })}
              error={explain(t, refusals[k])} />
          ))}
        </div>
        {serverSaid(RULE_OF.sessions) && <p className="mt-2 text-sm text-bad">{serverSaid(RULE_OF.sessions)}</p>}
      </Card>

      <Card title={t("discipline.whitelist")}>
        <WhitelistEditor value={whitelist} current={current} locked={locked} onChange={setWhitelist}
          error={explain(t, refusals.whitelist) ?? serverSaid(RULE_OF.whitelist)} />
      </Card>

      {error !== undefined && <ProblemAlert error={error} />}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" busy={busy} disabled={invalid || !changed}>{t("discipline.save")}</Button>
        <p role="status" className="text-sm text-muted">
          {justSaved && !changed ? t("discipline.saved") : invalid ? t("discipline.fixFirst") : !changed ? t("discipline.unchanged") : ""}
        </p>
      </div>
    </form>
  );
}

function SessionEditor({ k, value, current, locked, onChange, error }: {
  k: SessionKey; value: Config["london"]; current: Config; locked: Config;
  onChange(v: Config["london"]): void; error?: string;
}) {
  const t = useT();
  const id = useId();
  const b = sessionBounds(k, current, locked);
  const canEnable = current[k].enabled && locked[k].enabled;
  return (
    <fieldset className="flex flex-col gap-2 rounded-md border border-line p-3" aria-describedby={error ? `${id}-err` : undefined}>
      <legend className="px-1 text-sm font-semibold">{t(`discipline.session.${k}`)}</legend>
      <label className="inline-flex min-h-10 items-center gap-2 text-sm">
        <input type="checkbox" checked={value.enabled} disabled={!value.enabled && !canEnable}
          onChange={(e) => onChange({ ...value, enabled: e.target.checked })} />
        {t("discipline.session.enabled")}
      </label>
      {!canEnable && <p className="text-xs text-muted">{t("discipline.session.offForGood")}</p>}
      <div className="grid grid-cols-2 gap-2">
        <Field label={t("discipline.session.open")} type="time" step={60} disabled={!value.enabled}
          min={hhmm(b.open)} max={hhmm(b.close)} value={hhmm(value.open)}
          onChange={(e) => { const m = minutesOf(e.target.value); if (!Number.isNaN(m)) onChange({ ...value, open: m }); }} />
        <Field label={t("discipline.session.close")} type="time" step={60} disabled={!value.enabled}
          min={hhmm(b.open)} max={hhmm(b.close)} value={hhmm(value.close)}
          onChange={(e) => { const m = minutesOf(e.target.value); if (!Number.isNaN(m)) onChange({ ...value, close: m }); }} />
      </div>
      <p className="text-xs text-muted">{t("discipline.session.hint", { open: hhmm(b.open), close: hhmm(b.close) })}</p>
      {error && <p id={`${id}-err`} className="text-xs text-bad">{error}</p>}
    </fieldset>
  );
}

function WhitelistEditor({ value, current, locked, onChange, error }: {
  value: Config["whitelist"]; current: Config; locked: Config; onChange(v: Config["whitelist"]): void; error?: string;
}) {
  const t = useT();
  const id = useId();
  const cfg = { ...current, whitelist: value };
  return (
    <div className="flex flex-col gap-2">
      <p id={`${id}-hint`} className="text-sm text-muted">{t("discipline.whitelist.hint")}</p>
      <div className="overflow-x-auto">
        <table className="text-sm" aria-describedby={`${id}-hint`}>
          <caption className="sr-only">{t("discipline.whitelist")}</caption>
          <thead>
            <tr>
              <th scope="col" className="pe-2 text-start">{t("discipline.whitelist.symbol")}</th>
              {TIMEFRAMES.map((tf) => <th key={tf} scope="col" className="px-1 font-mono">{tf}</th>)}
            </tr>
          </thead>
          <tbody>
            {locked.whitelist.map((i) => (
              <tr key={i.symbol} className="border-t border-line">
                <th scope="row" className="pe-2 text-start font-mono">{i.symbol}</th>
                {TIMEFRAMES.map((tf) => {
                  const offered = allows(current, i.symbol, tf) && allows(locked, i.symbol, tf);
                  return (
                    <td key={tf} className="px-1 text-center">
                      <input type="checkbox" className="size-5" aria-label={`${i.symbol} ${tf}`}
                        checked={allows(cfg, i.symbol, tf)} disabled={!offered}
                        onChange={(e) => onChange(toggleWhitelist(cfg, i.symbol, tf, e.target.checked))} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error && <p className="text-sm text-bad" role="alert">{error}</p>}
    </div>
  );
}

function LockedRules({ locked }: { locked: Config }) {
  const t = useT();
  const rows: [string, string][] = [
    [t("discipline.loss_lock_mr"), `−${locked.loss_lock_mr / 1000}R`],
    [t("discipline.profit_lock_mr"), `+${locked.profit_lock_mr / 1000}R`],
    [t("discipline.cooldown_minutes"), t("discipline.minutes", { n: locked.cooldown_minutes })],
    [t("discipline.max_risk_bp"), `${locked.max_risk_bp / 100}%`],
    [t("discipline.signal_bars"), String(locked.signal_bars)],
    [t("discipline.session.london"), `${hhmm(locked.london.open)}–${hhmm(locked.london.close)}`],
    [t("discipline.session.new_york"), `${hhmm(locked.new_york.open)}–${hhmm(locked.new_york.close)}`],
    [t("discipline.whitelist"), t("discipline.locked.symbols", { n: locked.whitelist.length })],
  ];
  return (
    <Card title={t("discipline.locked")}>
      <p className="mb-2 text-sm text-muted">{t("discipline.locked.intro")}</p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-muted">{k}</dt>
            <dd className="font-mono"><bdi dir="ltr">{v}</bdi></dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-xs text-muted">{t("discipline.locked.execution")}</p>
    </Card>
  );
}
