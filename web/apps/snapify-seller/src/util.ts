import type { Locale } from "@alorig/ui";
import { t } from "./i18n";
import type { Picture } from "./types";

/** The picture's smallest rendition at least minWidth wide, on the platform's /media path. */
export function pictureURL(p: Picture, minWidth = 160): string {
  const w = p.widths.find((x) => x >= minWidth);
  return `/media/${p.prefix}/${p.hash}/${w ?? "full"}.${p.ext}`;
}

/**
 * The buyer's number as wa.me wants it: digits only, with Pakistan's country code (shared/wame
 * and rules/wame.go on the server: 03xx… becomes 923xx…, +92… and 0092… lose the plus or zeros).
 */
export function waDigits(phone: string): string {
  let d = phone.replace(/\D/g, "");
  if (d.startsWith("0092")) d = d.slice(2);
  else if (d.startsWith("0")) d = "92" + d.slice(1);
  return d;
}

export function waLink(phone: string, text: string): string {
  return `https://wa.me/${waDigits(phone)}?text=${encodeURIComponent(text)}`;
}

/** How long ago iso was, in the locale's words ("5 min ago"). */
export function ago(iso: string, locale: Locale = "en", now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return t(locale, "ago.s", { n: s });
  if (s < 3600) return t(locale, "ago.min", { n: Math.round(s / 60) });
  if (s < 86400) return t(locale, "ago.h", { n: Math.round(s / 3600) });
  return t(locale, "ago.d", { n: Math.round(s / 86400) });
}
