// The app's one API client and session store, bound to Snapify's module.
import { createClient, createSessionStore } from "@alorig/ui";

export const api = createClient({ base: "/api/v1", csrfCookie: "snapify_csrf" });
export const useSession = createSessionStore(api);
