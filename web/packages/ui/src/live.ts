// A live channel that stays up: a WebSocket that reconnects with jittered exponential back-off
// and tells its owner each time it is (re)connected, so the owner can re-fetch what it may have
// missed while it was down. Each attempt asks `connect` for a fresh URL (a single-use ticket).

export type LiveStatus = "connecting" | "open" | "closed";

export interface LiveOptions<M> {
  /** Returns the URL of one attempt, e.g. after fetching a ticket; throwing counts as a failure. */
  url(): Promise<string>;
  onMessage(msg: M): void;
  /** Called on every open: the first and each reconnect (re-fetch state here). */
  onOpen?(reconnected: boolean): void;
  onStatus?(s: LiveStatus): void;
  /** A permanent refusal (e.g. the URL step answered 401) stops retrying. */
  isFatal?(err: unknown): boolean;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface Live {
  close(): void;
  send(data: unknown): void;
}

export function openLive<M>(o: LiveOptions<M>): Live {
  const min = o.minDelayMs ?? 500;
  const max = o.maxDelayMs ?? 15_000;
  let ws: WebSocket | undefined;
  let attempt = 0;
  let opened = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const status = (s: LiveStatus) => o.onStatus?.(s);

  const retry = () => {
    if (stopped) return;
    status("closed");
    const base = Math.min(max, min * 2 ** attempt);
    attempt++;
    timer = setTimeout(start, base / 2 + Math.random() * (base / 2));
  };

  async function start() {
    if (stopped) return;
    status("connecting");
    let url: string;
    try {
      url = await o.url();
    } catch (e) {
      if (o.isFatal?.(e)) {
        stopped = true;
        status("closed");
        return;
      }
      retry();
      return;
    }
    if (stopped) return;
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => {
      attempt = 0;
      status("open");
      o.onOpen?.(opened);
      opened = true;
    };
    sock.onmessage = (ev) => {
      try {
        o.onMessage(JSON.parse(String(ev.data)) as M);
      } catch (e) {
        console.warn("live: unreadable message", e);
      }
    };
    sock.onclose = () => {
      if (ws === sock) retry();
    };
  }

  // Coming back online or to the tab retries at once rather than after the back-off.
  const wake = () => {
    if (stopped || (ws && ws.readyState <= WebSocket.OPEN)) return;
    clearTimeout(timer);
    attempt = 0;
    void start();
  };
  if (typeof window !== "undefined") window.addEventListener("online", wake);

  void start();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      if (typeof window !== "undefined") window.removeEventListener("online", wake);
      ws?.close();
    },
    send(data) {
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(data));
    },
  };
}

/** The ws:// or wss:// URL of a same-origin path. */
export function sameOriginWS(path: string): string {
  const u = new URL(path, window.location.href);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  return u.toString();
}
