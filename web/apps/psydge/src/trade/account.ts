// The broker account as the live store holds it. GET /api/v1/account answers an AccountView
// ({account, connection, positions}); the channel's `positions` event carries the account
// itself (broker.AccountInfo) in the same slot, so both shapes are read here.
import type { AccountView } from "../types";

type AccountInfo = AccountView["account"];

export function accountInfo(a: unknown): AccountInfo | undefined {
  if (!a || typeof a !== "object") return undefined;
  const o = a as Record<string, unknown>;
  if (o.account && typeof o.account === "object") return o.account as AccountInfo;
  if (typeof o.equity === "number" && typeof o.currency === "string") return o as unknown as AccountInfo;
  return undefined;
}
