// The live gate check beside the ticket: POST /api/v1/trades/check, debounced while the trader
// types, the previous request aborted, repeated every few seconds (prices, signals and the
// clock change what the gates say). The result belongs to the exact request it checked, which
// is what "Place order" sends.
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api";
import type { CheckResult, TicketRequest } from "../types";

export const CHECK_DEBOUNCE_MS = 300;
export const CHECK_REFRESH_MS = 5000;

export interface CheckState {
  /** The request the result answers. */
  request?: TicketRequest;
  result?: CheckResult;
  error?: unknown;
  inFlight: boolean;
  /** The last answer, even for earlier inputs: shown dimmed while a new check runs. */
  last?: CheckResult;
  /** The inputs changed since the result: it no longer describes the ticket (a check of the
   * new inputs is pending or in flight). */
  stale: boolean;
  /** Check now (after the validator approved a signal, say). */
  recheck(): void;
}

/**
 * `key` names the ticket as typed (not the live prices); `read` builds the request at the
 * moment the check is sent (a stop in pips is priced from the quote of that moment); it must
 * be a stable function (it reads the stores, not the render's values).
 */
export function useCheck(key: string, read: () => TicketRequest | undefined): CheckState {
  const [state, setState] = useState<{ key?: string; request?: TicketRequest; result?: CheckResult; error?: unknown }>({});
  const [inFlight, setInFlight] = useState(false);
  const [nonce, setNonce] = useState(0);
  const abort = useRef<AbortController | undefined>(undefined);
  const run = useCallback(async (forKey: string) => {
    abort.current?.abort();
    const req = read();
    if (!req) {
      abort.current = undefined;
      setInFlight(false);
      setState({ key: forKey });
      return;
    }
    const ctl = new AbortController();
    abort.current = ctl;
    setInFlight(true);
    try {
      const result = await api.post<CheckResult>("/trades/check", req, { signal: ctl.signal });
      if (ctl.signal.aborted) return;
      setState({ key: forKey, request: req, result });
    } catch (e) {
      if (ctl.signal.aborted) return;
      setState({ key: forKey, request: req, error: e });
    } finally {
      if (abort.current === ctl) {
        abort.current = undefined;
        setInFlight(false);
      }
    }
  }, [read]);

  useEffect(() => {
    const t = setTimeout(() => void run(key), CHECK_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [key, nonce, run]);

  useEffect(() => {
    const t = setInterval(() => setNonce((n) => n + 1), CHECK_REFRESH_MS);
    return () => clearInterval(t);
  }, []);

  useEffect(() => () => abort.current?.abort(), []);

  return {
    request: state.key === key ? state.request : undefined,
    result: state.key === key ? state.result : undefined,
    error: state.key === key ? state.error : undefined,
    inFlight,
    last: state.result,
    stale: state.key !== key,
    recheck: () => setNonce((n) => n + 1),
  };
}
