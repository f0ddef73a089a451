import type { Catalog } from "@alorig/ui";

export const marketMessages: Partial<Catalog> = { en: {}, ur: {} };
