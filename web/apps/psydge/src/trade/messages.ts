import type { Catalog } from "@alorig/ui";

export const tradeMessages: Partial<Catalog> = { en: {}, ur: {} };
