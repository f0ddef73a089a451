// Store settings: name, city, about, the template with a live preview of each of the seven
// (the server renders the store with that template at /preview/{store}?theme=, unsaved),
// language, custom domain (Pro) with its DNS record and a verify button, and the plan (Plan.tsx).
import { useState, type FormEvent } from "react";
import { Badge, Button, Card, Field, ProblemAlert, fieldError } from "@alorig/ui";
import { api, useSession } from "../api";
import { fill, useT } from "../i18n";
import { storePath, useStores } from "../store";
import type { Store, StoreInput } from "../types";
import { Plan } from "./Plan";

const THEMES = ["bazaar", "minimal", "boutique", "mehndi", "tech", "kids", "organic"] as const;

export function Settings() {
  const t = useT();
  const store = useStores((s) => s.current)!;
  const [name, setName] = useState(store.name);
  const [city, setCity] = useState(store.city);
  const [about, setAbout] = useState(store.about);
  const [theme, setTheme] = useState(store.theme);
  const [lang, setLang] = useState(store.lang);
  const [domain, setDomain] = useState(store.custom_domain ?? "");
  const [saved, setSaved] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState("");

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy("save");
    setError(null);
    setSaved("");
    try {
      const body: StoreInput = { name, city, about, theme, lang };
      if (domain.trim() !== (store.custom_domain ?? "")) body.custom_domain = domain.trim();
      const s = await api.patch<Store>(`${storePath()}/settings`, body);
      useStores.getState().set(s);
      setSaved(t("settings.saved"));
    } catch (err) {
      setError(err);
    } finally {
      setBusy("");
    }
  }

  async function verifyDomain() {
    setBusy("verify");
    setError(null);
    setSaved("");
    try {
      const s = await api.post<Store>(`${storePath()}/domain/verify`);
      useStores.getState().set(s);
      setSaved(s.domain_status === "verified" ? t("settings.verified") : t("settings.notYet"));
    } catch (err) {
      setError(err);
    } finally {
      setBusy("");
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <Card title={t("settings.title")}>
        <form onSubmit={save} className="flex flex-col gap-3" noValidate>
          <Field label={t("settings.name")} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(error, "name")} />
          <Field label={t("settings.city")} value={city} onChange={(e) => setCity(e.target.value)} error={fieldError(error, "city")} />
          <div className="flex flex-col gap-1">
            <label htmlFor="about" className="text-sm font-medium">{t("settings.about")}</label>
            <textarea id="about" rows={3} value={about} onChange={(e) => setAbout(e.target.value)} className="rounded-md border border-line bg-surface px-3 py-2" />
          </div>
          <fieldset className="flex flex-col gap-2">
            <legend className="text-sm font-medium">{t("settings.template")}</legend>
            <div className="flex flex-wrap gap-2">
              {THEMES.map((th) => (
                <label key={th} className={`inline-flex min-h-10 items-center gap-1 rounded-md border px-3 text-sm ${theme === th ? "border-accent" : "border-line"}`}>
                  <input type="radio" name="theme" value={th} checked={theme === th} onChange={() => setTheme(th)} /> {th}
                </label>
              ))}
            </div>
            <iframe key={theme} title={t("settings.preview", { theme })} src={`/preview/${encodeURIComponent(store.slug)}?theme=${theme}`}
              className="h-96 w-full rounded border border-line bg-white" loading="lazy" sandbox="allow-same-origin" />
          </fieldset>
          <div className="flex flex-col gap-1">
            <label htmlFor="lang" className="text-sm font-medium">{t("settings.lang")}</label>
            <select id="lang" value={lang} onChange={(e) => setLang(e.target.value)} className="min-h-10 rounded-md border border-line bg-surface px-2">
              <option value="en">English</option><option value="ur">اردو (Urdu)</option>
            </select>
          </div>
          <Field label={t("settings.domain")} value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="shop.example.pk"
            hint={t("settings.domainHint")} error={fieldError(error, "custom_domain")} />
          {store.custom_domain && (
            <div className="rounded border border-line p-2 text-sm">
              <p>{fill(t("settings.domainIs"), { domain: <bdi>{store.custom_domain}</bdi> })} <Badge tone={store.domain_status === "verified" ? "good" : "warn"}>{store.domain_status === "verified" ? t("settings.domainVerified") : t("settings.domainPending")}</Badge></p>
              {store.domain_verification && store.domain_status !== "verified" && (
                <>
                  <p className="mt-1">{t("settings.dnsAdd")}</p>
                  <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 break-all font-mono text-xs" dir="ltr">
                    <dt>{t("settings.dnsType")}</dt><dd>{store.domain_verification.type}</dd>
                    <dt>{t("settings.dnsName")}</dt><dd>{store.domain_verification.name}</dd>
                    <dt>{t("settings.dnsValue")}</dt><dd>{store.domain_verification.value}</dd>
                  </dl>
                  <p className="mt-1">{t("settings.dnsCname")}</p>
                </>
              )}
              <Button variant="secondary" className="mt-2" busy={busy === "verify"} onClick={() => void verifyDomain()}>{t("settings.verify")}</Button>
            </div>
          )}
          {saved && <p role="status" className="text-sm text-good">{saved}</p>}
          {error != null && <ProblemAlert error={error} />}
          <Button type="submit" busy={busy === "save"}>{t("settings.save")}</Button>
        </form>
      </Card>
      <Plan />
      <Button variant="ghost" onClick={() => void useSession.getState().signOut()}>{t("settings.signOut")}</Button>
    </div>
  );
}
