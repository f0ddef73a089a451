// Server state for one screen: GET path with query, re-fetched when either changes or on
// reload(). A failed fetch keeps the last data and exposes the error, so a screen shows both.
import { useCallback, useEffect, useState } from "react";
import type { Query } from "@alorig/ui";
import { api } from "../api";

export interface Resource<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload(): void;
}

export function useResource<T>(path: string, query?: Query): Resource<T> {
  const [tick, setTick] = useState(0);
  const key = `${path}?${JSON.stringify(query ?? {})}#${tick}`;
  // answered: the request the state answers; loading while it is not the current one.
  const [state, setState] = useState<{ data?: T; error?: unknown; answered?: string }>({});
  useEffect(() => {
    const ctl = new AbortController();
    const q = JSON.parse(key.slice(key.indexOf("?") + 1, key.lastIndexOf("#"))) as Query;
    api
      .get<T>(key.slice(0, key.indexOf("?")), q, ctl.signal)
      .then((data) => setState({ data, answered: key }))
      .catch((error: unknown) => {
        if (ctl.signal.aborted) return;
        setState((s) => ({ data: s.data, error, answered: key }));
      });
    return () => ctl.abort();
  }, [key]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.answered !== key, reload };
}
