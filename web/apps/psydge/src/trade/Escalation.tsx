// The escalation levels as the trader meets them, over any screen: L1 an alert, L2 an overlay
// that must be acknowledged (POST /api/v1/gates/ack), L3 a blackout with its countdown, L4 the
// session lock until the trading day ends. Countdowns run on the server's clock.
import { useState } from "react";
import { Button, Dialog, Link, ProblemAlert, formatRemaining, useNow } from "@alorig/ui";
import { api } from "../api";
import { useT } from "../i18n";
import { useLive } from "../live/store";
import type { GateStatus, ViolationRow } from "../types";

export type Stage =
  | { level: "L4"; until: number }
  | { level: "L3"; until: number; ackPending: boolean }
  | { level: "L2" }
  | { level: "none" };

/** What the gate status asks the panel to show now. */
export function stageOf(g: GateStatus | undefined, now: number): Stage {
  if (!g) return { level: "none" };
  const lock = g.session_locked_until ? Date.parse(g.session_locked_until) : 0;
  if (lock > now) return { level: "L4", until: lock };
  const blackout = g.blackout_until ? Date.parse(g.blackout_until) : 0;
  if (blackout > now) return { level: "L3", until: blackout, ackPending: g.ack_pending };
  if (g.ack_pending) return { level: "L2" };
  return { level: "none" };
}

export function Escalation() {
  const t = useT();
  useNow(1000);
  const gate = useLive((s) => s.gate);
  const violations = useLive((s) => s.violations);
  const serverNow = useLive((s) => s.serverNow);
  const now = serverNow();
  const stage = stageOf(gate, now);
  const latest = violations[0];
  const [dismissed, setDismissed] = useState<number>();
  const [ack, setAck] = useState<{ busy: boolean; error?: unknown }>({ busy: false });

  async function acknowledge() {
    setAck({ busy: true });
    try {
      const g = await api.post<GateStatus>("/gates/ack");
      useLive.setState({ gate: g });
      setAck({ busy: false });
    } catch (e) {
      setAck({ busy: false, error: e });
    }
  }

  const ackButton = (
    <>
      {ack.error !== undefined && <ProblemAlert error={ack.error} className="mb-3" />}
      <Button onClick={() => void acknowledge()} busy={ack.busy}>{t("esc.acknowledge")}</Button>
    </>
  );

  return (
    <>
      {latest && latest.id !== dismissed && stage.level === "none" && (
        <div role="alert" className="fixed inset-x-4 top-20 z-30 mx-auto flex max-w-xl items-start gap-3 rounded-lg border border-warn/60 bg-surface p-4 shadow-lg">
          <div className="flex-1 text-sm">
            <p className="font-semibold">{t("esc.violation", { level: `L${latest.level_number}`, code: latest.violation_code })}</p>
            {describe(t, latest) && <p className="text-muted">{describe(t, latest)}</p>}
          </div>
          <Button variant="ghost" onClick={() => setDismissed(latest.id)}>{t("common.close")}</Button>
        </div>
      )}

      <Dialog open={stage.level === "L2"} title={t("esc.ackTitle")} required>
        <p className="mb-2 text-sm">{t("esc.ackBody")}</p>
        {latest && <p className="mb-4 text-sm"><code>{latest.violation_code}</code> · L{latest.level_number}{describe(t, latest) && ` · ${describe(t, latest)}`}</p>}
        {ackButton}
      </Dialog>

      {stage.level === "L3" && (
        <section role="region" aria-label={t("esc.blackout")} className="fixed inset-0 z-40 flex flex-col items-center justify-center gap-4 bg-bg/95 p-6 text-center">
          <h2 className="text-2xl font-bold">{t("esc.blackout")}</h2>
          <p className="max-w-md">{t("esc.blackoutBody")}</p>
          <p role="timer" aria-label={t("esc.blackoutLeft")} className="font-mono text-4xl font-bold tabular-nums">{formatRemaining(stage.until - now)}</p>
          {latest && <p className="text-sm text-muted"><code>{latest.violation_code}</code>{describe(t, latest) && ` · ${describe(t, latest)}`}</p>}
          {stage.ackPending && ackButton}
        </section>
      )}

      {stage.level === "L4" && (
        <section role="region" aria-label={t("esc.locked")} className="fixed inset-0 z-40 flex flex-col items-center justify-center gap-4 bg-bg p-6 text-center">
          <h2 className="text-2xl font-bold">{t("esc.locked")}</h2>
          <p className="max-w-md">{t("esc.lockedBody")}</p>
          <p role="timer" aria-label={t("esc.lockedLeft")} className="font-mono text-4xl font-bold tabular-nums">{formatRemaining(stage.until - now)}</p>
          <nav aria-label={t("esc.meanwhile")} className="flex gap-3 text-sm">
            <Link to="/journal">{t("esc.toJournal")}</Link>
            <Link to="/score">{t("esc.toScore")}</Link>
          </nav>
          {latest && <p className="text-sm text-muted"><code>{latest.violation_code}</code>{describe(t, latest) && ` · ${describe(t, latest)}`}</p>}
        </section>
      )}
    </>
  );
}

/** A violation in the trader's words: the rule's explanation, else its code. */
function describe(t: (k: string, v?: Record<string, string | number>) => string, v: ViolationRow): string {
  const key = `esc.code.${v.violation_code}`;
  const s = t(key);
  return s === key ? "" : s;
}
