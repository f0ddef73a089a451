// The API types the app uses, from Snapify's served OpenAPI document.
import type { components } from "@alorig/api/snapify";

type S = components["schemas"];
export type Store = S["StoreJSON"];
export type StoreInput = S["StoreInput"];
export type Product = S["Product"];
export type ProductInput = S["ProductInput"];
export type ProductPage = S["productPage"];
export type Picture = S["Picture"];
export type Uploaded = S["uploaded"];
export type Variant = S["Variant"];
export type Category = S["Category"];
export type CategoryList = S["categoryList"];
export type Order = S["Order"];
export type OrderPage = S["orderPage"];
export type OrderAnswer = S["orderAnswer"];
export type OrderStatus = S["orderStatusRequest"]["status"];
export type Analytics = S["AnalyticsSummary"];
export type SubscriptionAnswer = S["subscriptionAnswer"];
export type PlanAnswer = S["planAnswer"];
export type CheckoutAnswer = S["checkoutAnswer"];
export type CodeSent = S["codeSent"];
export type SignedIn = S["signedIn"];
