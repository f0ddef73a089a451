// i18n: messages per locale, the chosen locale kept in localStorage, and the document's `lang`
// and `dir` set from it (Urdu is right to left). Components lay out with logical properties
// (Tailwind's ms-/me-/ps-/pe-, start/end), so the same markup mirrors under dir="rtl".
import { create } from "zustand";

export type Locale = "en" | "ur";
export const LOCALES: { id: Locale; name: string; dir: "ltr" | "rtl" }[] = [
  { id: "en", name: "English", dir: "ltr" },
  { id: "ur", name: "اردو", dir: "rtl" },
];

export type Messages = Record<string, string>;
export type Catalog = Record<Locale, Messages>;

const STORAGE_KEY = "alorig.locale";

interface LocaleState {
  locale: Locale;
  setLocale(l: Locale): void;
}

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === "en" || saved === "ur") return saved;
  } catch {
    // Storage can be closed (private mode); the default applies.
  }
  if (typeof navigator !== "undefined" && navigator.language?.toLowerCase().startsWith("ur")) return "ur";
  return "en";
}

export function applyLocale(l: Locale): void {
  if (typeof document === "undefined") return;
  const meta = LOCALES.find((x) => x.id === l) ?? LOCALES[0]!;
  document.documentElement.lang = l;
  document.documentElement.dir = meta.dir;
}

export const useLocale = create<LocaleState>((set) => ({
  locale: initialLocale(),
  setLocale(l) {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // Not kept across visits; still applied now.
    }
    applyLocale(l);
    set({ locale: l });
  },
}));

/** Fills {name} slots from vars. */
export function interpolate(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/**
 * Builds a translator over the shared catalog and an app's own. A key missing in the locale
 * falls back to English, then to the key itself, so a gap shows as text, never as nothing.
 */
export function makeTranslator(...catalogs: Partial<Catalog>[]) {
  const merged: Catalog = { en: {}, ur: {} };
  for (const c of catalogs) for (const l of ["en", "ur"] as Locale[]) Object.assign(merged[l], c[l]);
  const t = (locale: Locale, key: string, vars?: Record<string, string | number>) =>
    interpolate(merged[locale][key] ?? merged.en[key] ?? key, vars);
  return {
    t,
    /** The hook: t bound to the current locale; re-renders when it changes. */
    useT() {
      const locale = useLocale((s) => s.locale);
      return (key: string, vars?: Record<string, string | number>) => t(locale, key, vars);
    },
  };
}

/** Messages of the shared components (sign-in, errors, theme, language). */
export const sharedMessages: Catalog = {
  en: {
    "auth.signIn": "Sign in",
    "auth.signUp": "Create account",
    "auth.signOut": "Sign out",
    "auth.email": "Email",
    "auth.password": "Password",
    "auth.passwordHint": "At least 12 characters.",
    "auth.haveAccount": "Already have an account? Sign in",
    "auth.needAccount": "New here? Create an account",
    "auth.expired": "Your session ended. Sign in again to carry on; what you were writing is kept.",
    "problem.requestId": "Reference: {id}",
    "problem.network": "The server could not be reached. Check the connection and try again.",
    "theme.toggle": "Switch between light and dark",
    "locale.label": "Language",
    "common.loading": "Loading…",
    "common.retry": "Try again",
    "common.close": "Close",
    "common.save": "Save",
    "common.cancel": "Cancel",
  },
  ur: {
    "auth.signIn": "سائن اِن",
    "auth.signUp": "اکاؤنٹ بنائیں",
    "auth.signOut": "سائن آؤٹ",
    "auth.email": "ای میل",
    "auth.password": "پاس ورڈ",
    "auth.passwordHint": "کم از کم 12 حروف۔",
    "auth.haveAccount": "پہلے سے اکاؤنٹ ہے؟ سائن اِن کریں",
    "auth.needAccount": "نئے ہیں؟ اکاؤنٹ بنائیں",
    "auth.expired": "آپ کا سیشن ختم ہو گیا۔ دوبارہ سائن اِن کریں؛ آپ کا لکھا محفوظ ہے۔",
    "problem.requestId": "حوالہ: {id}",
    "problem.network": "سرور تک رسائی نہیں ہو سکی۔ کنکشن دیکھ کر دوبارہ کوشش کریں۔",
    "theme.toggle": "روشن اور تاریک کے درمیان بدلیں",
    "locale.label": "زبان",
    "common.loading": "لوڈ ہو رہا ہے…",
    "common.retry": "دوبارہ کوشش کریں",
    "common.close": "بند کریں",
    "common.save": "محفوظ کریں",
    "common.cancel": "منسوخ",
  },
};

export const { t: translate, useT: useSharedT } = makeTranslator(sharedMessages);
