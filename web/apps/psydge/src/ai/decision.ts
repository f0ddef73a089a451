// What an AI interaction decided, read from its row (modules/psydge/ai_rules.go): the
// decision is stored after the tighten-only filter, so what is shown here is what survived it.
// Nothing here acts on a decision: the AI proposes, the trader decides.
import type { AICall } from "../types";

export const ROLES = ["trade_supervisor", "pre_entry_validator", "behavioral_predictor", "session_debrief"] as const;
export type Role = (typeof ROLES)[number];
/** The roles the history can be filtered by: the four, and the weekly report built from the debriefs. */
export const HISTORY_ROLES = [...ROLES, "weekly_report"] as const;

/** The server's failure outcomes (shared/ai): anything but ok means the role did not answer. */
export const OUTCOMES = ["ok", "invalid_output", "timeout", "rate_limited", "overloaded", "provider_error", "refused"] as const;

/** SupervisorProposal: scale, hold, tighten_sl or exit; rejected says why the model's own answer became hold. */
export interface SupervisorDecision {
  action: "scale" | "hold" | "tighten_sl" | "exit";
  new_stop_loss?: number;
  scale_out_fraction?: number;
  reasoning: string;
  rejected?: string;
}

/** PreEntryVerdict; policy is set when the validator could not answer and the trader's policy decided. */
export interface PreEntryDecision {
  verdict: "approve" | "stand_down";
  reasoning: string;
  policy?: "fail_closed" | "fail_open";
}

export interface TighteningProposal {
  rule: "loss_lock_r" | "profit_lock_r" | "cooldown_minutes" | "max_risk_pct";
  value: number;
  reasoning: string;
}

/** PredictorOutput: dropped lists the proposals the filter removed because they would not tighten. */
export interface PredictorDecision {
  risk_level: "low" | "elevated" | "high";
  alerts: string[];
  tightening: TighteningProposal[];
  dropped?: string[];
}

/** DebriefOutput: the day's summary (also stored on its reflection) and insights. */
export interface DebriefDecision {
  summary: string;
  insights: string[];
}

export type Reading =
  | { role: "trade_supervisor"; decision: SupervisorDecision }
  | { role: "pre_entry_validator"; decision: PreEntryDecision }
  | { role: "behavioral_predictor"; decision: PredictorDecision }
  | { role: "session_debrief"; decision: DebriefDecision }
  /** The weekly report (and any role this panel does not know) carries its text as output. */
  | { role: "text"; text: string }
  /** The call failed (outcome not ok), or left no decision. */
  | { role: "none" };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const text = (v: unknown): string => (typeof v === "string" ? v : "");
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/**
 * Reads an interaction's decision by its role, keeping only the fields its schema names. A row
 * whose decision does not have its role's shape reads as "none" rather than as a guess.
 */
export function readDecision(row: Pick<AICall, "role" | "outcome" | "output" | "decision">): Reading {
  const r = byRole(row);
  // A row recorded before the roles had decisions (the signals validator's, the weekly
  // report) answered in words: its output is what it said.
  if (r.role === "none" && (row.outcome ?? "ok") === "ok" && row.decision == null && row.output) return { role: "text", text: row.output };
  return r;
}

function byRole(row: Pick<AICall, "role" | "outcome" | "output" | "decision">): Reading {
  const d = row.decision;
  switch (row.role) {
    case "trade_supervisor":
      if (!isObject(d) || !["scale", "hold", "tighten_sl", "exit"].includes(d.action as string)) return { role: "none" };
      return {
        role: row.role,
        decision: {
          action: d.action as SupervisorDecision["action"], new_stop_loss: num(d.new_stop_loss), scale_out_fraction: num(d.scale_out_fraction),
          reasoning: text(d.reasoning), rejected: text(d.rejected) || undefined,
        },
      };
    case "pre_entry_validator":
      if (!isObject(d) || (d.verdict !== "approve" && d.verdict !== "stand_down")) return { role: "none" };
      return {
        role: row.role,
        decision: { verdict: d.verdict, reasoning: text(d.reasoning), policy: d.policy === "fail_closed" || d.policy === "fail_open" ? d.policy : undefined },
      };
    case "behavioral_predictor":
      if (!isObject(d) || !["low", "elevated", "high"].includes(d.risk_level as string)) return { role: "none" };
      return {
        role: row.role,
        decision: {
          risk_level: d.risk_level as PredictorDecision["risk_level"],
          alerts: strings(d.alerts),
          tightening: (Array.isArray(d.tightening) ? d.tightening : []).filter(isObject).flatMap((p) => {
            const value = num(p.value);
            const rule = p.rule as TighteningProposal["rule"];
            return value !== undefined && ["loss_lock_r", "profit_lock_r", "cooldown_minutes", "max_risk_pct"].includes(rule)
              ? [{ rule, value, reasoning: text(p.reasoning) }] : [];
          }),
          dropped: strings(d.dropped),
        },
      };
    case "session_debrief":
      if (!isObject(d) || typeof d.summary !== "string") return { role: "none" };
      return { role: row.role, decision: { summary: d.summary, insights: strings(d.insights) } };
    default:
      return { role: "none" };
  }
}

/** Whether the answer came from the rules-based stand-in, not a model. */
export const isOffline = (row: Pick<AICall, "provider">) => row.provider === "offline";

/**
 * Whether a live AI row is worth a notice on the trade screen: the supervisor's proposals,
 * the predictor's alerts and proposals, the debriefs and the weekly report. A failed call is
 * only in the history; the pre-entry validator speaks through the ticket's gate B.
 */
export function isNotice(row: Pick<AICall, "role" | "outcome" | "output" | "decision">): boolean {
  if (row.role === "pre_entry_validator") return false;
  if (row.outcome !== undefined && row.outcome !== "ok") return false;
  return readDecision(row).role !== "none";
}

/** Cost in micro-dollars as dollars, with enough digits for a fraction of a cent. */
export function formatCost(micro: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: micro < 10_000 ? 4 : 2 })
    .format(micro / 1e6);
}
