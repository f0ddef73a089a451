// The newest AI outputs as the live channel brings them, for the trade screen: the
// supervisor's proposals, the predictor's alerts and proposals, the session debrief and the
// weekly report. One polite live region (role="status"), present while empty so a new notice
// is announced; each notice can be dismissed. They are proposals: nothing here acts on them.
import { create } from "zustand";
import { Link } from "@alorig/ui";
import { useT } from "../i18n";
import { useLive } from "../live/store";
import type { AICall } from "../types";
import { Decision, useWhen } from "./Decision";
import { isNotice, readDecision } from "./decision";
import { isCall } from "./history";

/** How many notices are shown at once; the rest are in the AI history. */
export const SHOWN = 3;

/** Dismissed notices by id, kept while the page lives so a screen change does not bring them back. */
const useDismissed = create<{ ids: Set<number>; dismiss(id: number): void }>((set, get) => ({
  ids: new Set(),
  dismiss: (id) => set({ ids: new Set(get().ids).add(id) }),
}));

/** The notices to show: live rows worth a notice, not dismissed, newest first. */
export function noticesOf(messages: unknown[], dismissed: Set<number>, n = SHOWN): AICall[] {
  return messages.filter(isCall).filter((m) => isNotice(m) && !dismissed.has(m.id)).slice(0, n);
}

/** Whether a notice proposes something the trader may act on (a supervisor's action, a tightening). */
function proposes(m: AICall): boolean {
  const r = readDecision(m);
  return (r.role === "trade_supervisor" && r.decision.action !== "hold") || (r.role === "behavioral_predictor" && r.decision.tightening.length > 0);
}

export function AINotices({ className = "" }: { className?: string }) {
  const t = useT();
  const messages = useLive((s) => s.aiMessages);
  const dismissed = useDismissed((s) => s.ids);
  const dismiss = useDismissed((s) => s.dismiss);
  const when = useWhen();
  const shown = noticesOf(messages, dismissed);
  return (
    // Kept in the accessibility tree when empty (visually hidden, out of the layout) so the
    // first notice is announced.
    <div role="status" aria-label={t("ai.notices")} className={shown.length ? `flex flex-col gap-2 ${className}` : "sr-only"}>
      {shown.length > 0 && (
        <ul className="flex flex-col gap-2">
          {shown.map((m) => (
            <li key={m.id} data-ai-notice={m.id} data-role={m.role}
              className="rounded-md border border-line border-s-4 border-s-accent bg-surface p-3">
              <div className="mb-1 flex items-start gap-2">
                <p className="text-xs font-semibold text-muted">
                  {t("ai.noticeFrom", { role: t(`ai.role.${m.role}`), time: when(m.created_at) })}
                  {m.trade_id !== undefined && <> · {t("ai.trade", { id: m.trade_id })}</>}
                  {m.provider === "offline" && <> · offline</>}
                </p>
                <button type="button" onClick={() => dismiss(m.id)} aria-label={t("ai.dismiss", { id: m.id })}
                  className="ms-auto -mt-1 inline-flex size-8 shrink-0 items-center justify-center rounded-md text-muted hover:bg-raised hover:text-fg">
                  <span aria-hidden="true">×</span>
                </button>
              </div>
              <Decision row={m} compact />
              {proposes(m) && (
                <p className="mt-1 text-xs text-muted">{t("ai.proposalOnly")}</p>
              )}
            </li>
          ))}
        </ul>
      )}
      {shown.length > 0 && <Link to="/ai" className="self-start text-sm text-accent underline">{t("ai.seeHistory")}</Link>}
    </div>
  );
}
