// The API client every app uses: JSON over fetch with the platform's cookie session, the CSRF
// header on every unsafe method, and problem+json answers turned into ApiError.
//
// The session cookie is HttpOnly; the CSRF token is read from the module's readable
// `<module>_csrf` cookie on each request, so a sign-in in another tab is picked up.

/** One field's complaint from a problem+json answer's `errors`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An answer that was not 2xx, parsed from RFC 9457 problem+json when the server sent it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly fields: FieldProblem[];
  /** The X-Request-ID of the answer, to quote to support. */
  readonly requestId: string;
  /** The whole problem document, for answers that carry more (a refusal's gates, say). */
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    const title = str(body.title) || statusTitle(status);
    const detail = str(body.detail) || str(body.message) || title;
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = str(body.code) || `HTTP_${status}`;
    this.title = title;
    this.detail = detail;
    this.fields = readFields(body);
    this.requestId = str(body.request_id);
    this.body = body;
  }

  /** The message for one request field, if the server named it. */
  field(name: string): string | undefined {
    return this.fields.find((f) => f.field === name)?.message;
  }
}

/** A request that never got an answer: offline, DNS, a reset connection, a time-out. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super("The server could not be reached. Check the connection and try again.");
    this.name = "NetworkError";
    this.cause = cause;
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Milliseconds before the request is abandoned with a NetworkError (default 15 s). */
  timeoutMs?: number;
}

export interface ClientOptions {
  /** Path prefix of the API, e.g. "/api/v1". */
  base: string;
  /** Name of the module's readable CSRF cookie, e.g. "psydge_csrf". */
  csrfCookie: string;
  /** Called once per 401 answer: the session is gone (expired, revoked, signed out elsewhere). */
  onUnauthorized?: (err: ApiError) => void;
  fetch?: typeof fetch;
}

export interface Client {
  request<T>(method: string, path: string, opts?: RequestOptions): Promise<T>;
  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T>;
  post<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  put<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  patch<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  del<T>(path: string, opts?: RequestOptions): Promise<T>;
  /** Replaces the 401 hook (the auth store sets it once it exists). */
  setUnauthorized(fn: (err: ApiError) => void): void;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function createClient(opts: ClientOptions): Client {
  let onUnauthorized = opts.onUnauthorized;
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));

  async function request<T>(method: string, path: string, ro: RequestOptions = {}): Promise<T> {
    const url = opts.base + path + queryString(ro.query);
    const headers: Record<string, string> = { Accept: "application/json", ...ro.headers };
    let body: BodyInit | undefined;
    if (ro.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(ro.body);
    }
    if (!SAFE.has(method)) {
      const csrf = readCookie(opts.csrfCookie);
      if (csrf) headers["X-CSRF-Token"] = csrf;
    }
    const timeout = AbortSignal.timeout(ro.timeoutMs ?? 15_000);
    const signal = ro.signal ? AbortSignal.any([ro.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await doFetch(url, { method, headers, body, signal, credentials: "same-origin" });
    } catch (e) {
      if (ro.signal?.aborted) throw e;
      throw new NetworkError(e);
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!res.ok) {
      const doc = isObject(parsed) ? parsed : { detail: text.slice(0, 300) || statusTitle(res.status) };
      const err = new ApiError(res.status, doc);
      if (res.status === 401) onUnauthorized?.(err);
      throw err;
    }
    if (text && parsed === undefined) {
      throw new ApiError(res.status, { code: "BAD_RESPONSE", detail: "The server answered with something that is not JSON." });
    }
    return parsed as T;
  }

  return {
    request,
    get: (path, query, signal) => request("GET", path, { query, signal }),
    post: (path, body, o) => request("POST", path, { ...o, body }),
    put: (path, body, o) => request("PUT", path, { ...o, body }),
    patch: (path, body, o) => request("PATCH", path, { ...o, body }),
    del: (path, o) => request("DELETE", path, o),
    setUnauthorized(fn) {
      onUnauthorized = fn;
    },
  };
}

export function readCookie(name: string): string | undefined {
  if (typeof document === "undefined") return undefined;
  for (const part of document.cookie.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function queryString(q?: Query): string {
  if (!q) return "";
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

// The platform's problem documents name bad fields as `errors: [{field, reason}]`.
function readFields(body: Record<string, unknown>): FieldProblem[] {
  const out: FieldProblem[] = [];
  const errs = body.errors;
  if (Array.isArray(errs)) {
    for (const e of errs) {
      if (isObject(e) && typeof e.field === "string") out.push({ field: e.field, message: str(e.reason) });
    }
  }
  return out;
}

function statusTitle(status: number): string {
  const titles: Record<number, string> = {
    400: "Bad request",
    401: "Sign in first",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    413: "Too large",
    422: "Cannot be processed",
    429: "Too many requests",
    500: "Server error",
    502: "Upstream error",
    503: "Unavailable",
  };
  return titles[status] ?? `HTTP ${status}`;
}
