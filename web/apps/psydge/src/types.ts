// The API's types, generated from Psydge's OpenAPI document (web/packages/api).
import type { components } from "@alorig/api/psydge";

type S = components["schemas"];
export type AICall = S["AICall"];
export type AIInteractionPage = S["AIInteractionPage"];
export type AISettingsRequest = S["AISettingsRequest"];
export type AISettingsView = S["AISettingsView"];
export type AccountView = S["AccountView"];
export type Bar = S["Bar"];
export type CheckResult = S["CheckResult"];
export type ConfigView = S["ConfigView"];
export type Connection = S["Connection"];
export type GateResult = S["GateResult"];
export type GateStatus = S["GateStatus"];
export type Instrument = S["Instrument"];
export type LiveTicket = S["LiveTicket"];
export type Position = S["Position"];
export type Reflection = S["Reflection"];
export type Refusal = S["Refusal"];
export type ScoreRow = S["ScoreRow"];
export type Signal = S["Signal"];
export type SignalRow = S["SignalRow"];
export type Strategy = S["Strategy"];
export type SymbolSpec = S["SymbolSpec"];
export type TicketRequest = S["TicketRequest"];
export type Trade = S["Trade"];
export type Verdict = S["Verdict"];
export type ViolationRow = S["ViolationRow"];
