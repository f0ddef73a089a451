// One GET the screen shows: its answer, its error (kept with the last answer, so a failed
// refresh does not blank the screen) and reload. A new path, query or version fetches again;
// a request still in flight is aborted when a newer one starts or the screen unmounts.
import { useCallback, useEffect, useState } from "react";
import type { Query } from "@alorig/ui";
import { api } from "../api";

export interface Got<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload(): void;
}

export function useGet<T>(path: string, query?: Query, version: number = 0): Got<T> {
  const q = JSON.stringify(query ?? {});
  const [n, setN] = useState(0);
  const key = `${path}?${q}#${version}.${n}`;
  const [state, setState] = useState<{ key?: string; data?: T; error?: unknown }>({});
  useEffect(() => {
    const ctl = new AbortController();
    api.get<T>(path, JSON.parse(q) as Query, ctl.signal).then(
      (data) => setState({ key, data }),
      (error: unknown) => {
        if (!ctl.signal.aborted) setState((s) => ({ key, data: s.data, error }));
      },
    );
    return () => ctl.abort();
  }, [path, q, key]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data: state.data, error: state.error, loading: state.key !== key, reload };
}
