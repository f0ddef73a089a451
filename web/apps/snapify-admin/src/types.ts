// The API's types, generated from Snapify's OpenAPI document (web/packages/api).
import type { components, paths } from "@alorig/api/snapify";

type S = components["schemas"];
type OK<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer T } } };
}
  ? T
  : never;

export type AuditEntry = S["AuditEntry"];
export type AuditAction = AuditEntry["action"];
export type AuditPage = S["auditPage"];
export type ModerationPage = S["moderationPage"];
export type QueuedProduct = S["queuedProduct"];
export type ProductAction = S["productAction"];
export type PlatformMetrics = S["PlatformMetrics"];
export type MetricsDay = S["MetricsDay"];
export type MetricsCity = S["MetricsCity"];
export type Store = S["StoreJSON"];
export type SignedIn = S["SignedIn"];
export type StorePage = OK<"/api/v1/admin/stores", "get">;
export type StoreDetail = OK<"/api/v1/admin/stores/{store_id}", "get">;
export type StoreAction = OK<"/api/v1/admin/stores/{store_id}/suspend", "post">;
