// The app's one API client and session store, bound to Snapify's module. Sellers sign in with
// a WhatsApp one-time code; the session is the HttpOnly cookie the verify answer sets, so the
// seller stays signed in on the device. The last user seen is kept so the app opens offline.
import { create } from "zustand";
import { ApiError, NetworkError, createClient, type User } from "@alorig/ui";
import type { CodeSent, SignedIn } from "./types";

export const api = createClient({ base: "/api/v1", csrfCookie: "snapify_csrf" });

const USER_KEY = "snapify.seller.user";

type Status = "loading" | "signedIn" | "signedOut" | "expired";

interface SessionState {
  status: Status;
  user?: User;
  /** True when the session was taken from the device because the server could not be reached. */
  offline: boolean;
  load(): Promise<void>;
  sendCode(phone: string, lang: string): Promise<CodeSent>;
  verify(phone: string, code: string): Promise<void>;
  signOut(): Promise<void>;
  expire(): void;
}

function remembered(): User | undefined {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as User) : undefined;
  } catch {
    return undefined;
  }
}

function remember(u: User | undefined) {
  try {
    if (u) localStorage.setItem(USER_KEY, JSON.stringify(u));
    else localStorage.removeItem(USER_KEY);
  } catch {
    // Storage closed (private mode): the app still works online.
  }
}

export const useSession = create<SessionState>((set) => ({
  status: "loading",
  offline: false,
  async load() {
    try {
      const user = await api.get<User>("/auth/me");
      remember(user);
      set({ status: "signedIn", user, offline: false });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        remember(undefined);
        set({ status: "signedOut", user: undefined, offline: false });
      } else if (e instanceof NetworkError && remembered()) {
        set({ status: "signedIn", user: remembered(), offline: true });
      } else {
        throw e;
      }
    }
  },
  sendCode(phone, lang) {
    return api.post<CodeSent>("/seller/login/code", { phone, lang });
  },
  async verify(phone, code) {
    const res = await api.post<SignedIn>("/seller/login/verify", { phone, code });
    const user = res.user ?? undefined;
    remember(user);
    set({ status: "signedIn", user, offline: false });
  },
  async signOut() {
    await api.post("/auth/logout").catch(() => undefined);
    remember(undefined);
    set({ status: "signedOut", user: undefined });
  },
  expire() {
    set((s) => (s.status === "signedIn" ? { status: "expired" } : s));
  },
}));

api.setUnauthorized(() => useSession.getState().expire());
