// Sign-in state over the platform's cookie sessions. The browser keeps only the HttpOnly
// session cookie and the readable CSRF cookie that the server sets; the bearer token the
// sign-in answer also carries (for API clients) is dropped, never stored.
import { create } from "zustand";
import type { ApiError, Client } from "./api";

export interface User {
  id: number;
  email?: string;
  display_name: string;
  role: string;
  anonymous: boolean;
  created_at: string;
}

export type SessionStatus = "loading" | "signedIn" | "signedOut" | "expired";

export interface SessionState {
  status: SessionStatus;
  user?: User;
  /** Reads /auth/me: the cookie decides whether we are signed in. */
  load(): Promise<void>;
  signIn(email: string, password: string): Promise<void>;
  signUp(email: string, password: string, displayName?: string): Promise<void>;
  signOut(): Promise<void>;
  /** The API answered 401: the session ended while the app was open. */
  expire(err?: ApiError): void;
}

/**
 * The session store of one app, bound to its module's client (whose 401 hook it takes over).
 * `expired` differs from `signedOut`: the app keeps its unsaved state and shows sign-in over it.
 */
export function createSessionStore(client: Client) {
  const store = create<SessionState>((set, get) => ({
    status: "loading",
    async load() {
      try {
        const user = await client.get<User>("/auth/me");
        set({ status: "signedIn", user });
      } catch (e) {
        if ((e as ApiError).status === 401) set({ status: "signedOut", user: undefined });
        else throw e;
      }
    },
    async signIn(email, password) {
      const res = await client.post<{ user: User }>("/auth/login", { email, password });
      set({ status: "signedIn", user: res.user });
    },
    async signUp(email, password, displayName) {
      const body: Record<string, string> = { email, password };
      if (displayName) body.display_name = displayName;
      const res = await client.post<{ user: User }>("/auth/register", body);
      set({ status: "signedIn", user: res.user });
    },
    async signOut() {
      try {
        await client.post("/auth/logout");
      } finally {
        set({ status: "signedOut", user: undefined });
      }
    },
    expire() {
      if (get().status === "signedIn") set({ status: "expired" });
    },
  }));
  client.setUnauthorized((err) => store.getState().expire(err));
  return store;
}
