// The app's one API client and session store, bound to Snapify's module. Admins sign in with
// email and password at /api/v1/admin/login (admin host only); the session is the platform's
// HttpOnly cookie, and /auth/me says who is signed in.
import { createClient, createSessionStore } from "@alorig/ui";
import type { SignedIn } from "./types";

export const api = createClient({ base: "/api/v1", csrfCookie: "snapify_csrf" });
export const useSession = createSessionStore(api);

/** Signs a platform admin in; an account without the admin role is refused by the server. */
export async function adminSignIn(email: string, password: string): Promise<void> {
  const res = await api.post<SignedIn>("/admin/login", { email, password });
  if (!res.user) throw new Error("The server signed in nobody.");
  useSession.setState({ status: "signedIn", user: { ...res.user, email: res.user.email ?? undefined } });
}
