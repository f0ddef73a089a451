// Store settings: name, city, about, the template with a live preview of each of the seven
// (the server renders the store with that template at /preview/{store}?theme=, unsaved),
// language, custom domain (Pro) with its DNS record and a verify button, and the plan.
import { useEffect, useState, type FormEvent } from "react";
import { Badge, Button, Card, Field, ProblemAlert, fieldError, formatMoney } from "@alorig/ui";
import { api, useSession } from "../api";
import { readCached } from "../offline";
import { storePath, useStores } from "../store";
import type { Store, StoreInput, SubscriptionAnswer } from "../types";

const THEMES = ["bazaar", "minimal", "boutique", "mehndi", "tech", "kids", "organic"] as const;

export function Settings() {
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
      setSaved("Settings saved.");
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
      setSaved(s.domain_status === "verified" ? "Domain verified." : "The DNS record was not found yet.");
    } catch (err) {
      setError(err);
    } finally {
      setBusy("");
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <Card title="Store settings">
        <form onSubmit={save} className="flex flex-col gap-3" noValidate>
          <Field label="Store name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(error, "name")} />
          <Field label="City" value={city} onChange={(e) => setCity(e.target.value)} error={fieldError(error, "city")} />
          <div className="flex flex-col gap-1">
            <label htmlFor="about" className="text-sm font-medium">About</label>
            <textarea id="about" rows={3} value={about} onChange={(e) => setAbout(e.target.value)} className="rounded-md border border-line bg-surface px-3 py-2" />
          </div>
          <fieldset className="flex flex-col gap-2">
            <legend className="text-sm font-medium">Template</legend>
            <div className="flex flex-wrap gap-2">
              {THEMES.map((t) => (
                <label key={t} className={`inline-flex min-h-10 items-center gap-1 rounded-md border px-3 text-sm ${theme === t ? "border-accent" : "border-line"}`}>
                  <input type="radio" name="theme" value={t} checked={theme === t} onChange={() => setTheme(t)} /> {t}
                </label>
              ))}
            </div>
            <iframe key={theme} title={`Preview of the ${theme} template`} src={`/preview/${encodeURIComponent(store.slug)}?theme=${theme}`}
              className="h-96 w-full rounded border border-line bg-white" loading="lazy" sandbox="allow-same-origin" />
          </fieldset>
          <div className="flex flex-col gap-1">
            <label htmlFor="lang" className="text-sm font-medium">Store language</label>
            <select id="lang" value={lang} onChange={(e) => setLang(e.target.value)} className="min-h-10 rounded-md border border-line bg-surface px-2">
              <option value="en">English</option><option value="ur">اردو (Urdu)</option>
            </select>
          </div>
          <Field label="Custom domain (Pro)" value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="shop.example.pk"
            hint="Your own address for the store; Pro stores only." error={fieldError(error, "custom_domain")} />
          {store.custom_domain && (
            <div className="rounded border border-line p-2 text-sm">
              <p>Domain {store.custom_domain}: <Badge tone={store.domain_status === "verified" ? "good" : "warn"}>{store.domain_status ?? "pending"}</Badge></p>
              {store.domain_verification && store.domain_status !== "verified" && (
                <>
                  <p className="mt-1">At your domain's DNS provider add this record, then press Verify:</p>
                  <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 break-all font-mono text-xs">
                    <dt>Type</dt><dd>{store.domain_verification.type}</dd>
                    <dt>Name</dt><dd>{store.domain_verification.name}</dd>
                    <dt>Value</dt><dd>{store.domain_verification.value}</dd>
                  </dl>
                  <p className="mt-1">and point the domain's CNAME (or A record) at snapify.pk.</p>
                </>
              )}
              <Button variant="secondary" className="mt-2" busy={busy === "verify"} onClick={() => void verifyDomain()}>Verify domain</Button>
            </div>
          )}
          {saved && <p role="status" className="text-sm text-good">{saved}</p>}
          {error != null && <ProblemAlert error={error} />}
          <Button type="submit" busy={busy === "save"}>Save settings</Button>
        </form>
      </Card>
      <Plan />
      <Button variant="ghost" onClick={() => void useSession.getState().signOut()}>Sign out</Button>
    </div>
  );
}

function Plan() {
  const store = useStores((s) => s.current)!;
  const [sub, setSub] = useState<SubscriptionAnswer>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    readCached(`subscription:${store.slug}`, () => api.get<SubscriptionAnswer>(`${storePath()}/subscription`)).then((r) => setSub(r.data), setError);
  }, [store.slug]);
  async function upgrade() {
    setBusy(true);
    setError(null);
    try {
      setSub(await api.put<SubscriptionAnswer>(`${storePath()}/subscription`, { plan: "pro" }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const s = sub?.subscription;
  return (
    <Card title="Plan">
      {s && (
        <p className="mb-2 text-sm">
          <strong className="capitalize">{s.plan}</strong> ({s.status}){s.price_paisa > 0 && ` · ${formatMoney(s.price_paisa, "PKR")} a month`}
          {sub.product_limit != null && ` · ${sub.product_count} of ${sub.product_limit} products`}
        </p>
      )}
      {s?.plan !== "pro" && (
        <>
          <p className="mb-2 text-sm text-muted">Pro: unlimited products, your own domain, city pages and no Snapify branding.</p>
          <Button busy={busy} onClick={() => void upgrade()}>Upgrade to Pro</Button>
        </>
      )}
      {error != null && <ProblemAlert error={error} className="mt-2" />}
    </Card>
  );
}
