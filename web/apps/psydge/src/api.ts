// The panel's one API client and session store, bound to Psydge's module.
import { createClient, createSessionStore } from "@alorig/ui";

export const api = createClient({ base: "/api/v1", csrfCookie: "psydge_csrf" });
export const useSession = createSessionStore(api);
