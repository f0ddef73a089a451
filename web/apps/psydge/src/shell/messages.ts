import type { Catalog } from "@alorig/ui";

export const shellMessages: Partial<Catalog> = { en: {}, ur: {} };
