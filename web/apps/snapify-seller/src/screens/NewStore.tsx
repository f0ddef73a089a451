import { useState, type FormEvent } from "react";
import { Button, Card, Field, ProblemAlert, fieldError } from "@alorig/ui";
import { api } from "../api";
import { useT } from "../i18n";
import { useStores } from "../store";
import type { Store } from "../types";

/** A new seller opens a store: its name and its address on snapify.pk. */
export function NewStore() {
  const t = useT();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api.post<Store>("/stores", { name, slug });
      useStores.getState().set(s);
      await useStores.getState().load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={t("newStore.title")}>
      <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
        <Field label={t("newStore.name")} value={name} onChange={(e) => setName(e.target.value)} required error={fieldError(error, "name")} />
        <Field label={t("newStore.slug")} value={slug} onChange={(e) => setSlug(e.target.value.toLowerCase())} required
          hint={`snapify.pk/${slug || "your-store"}`} error={fieldError(error, "slug")} />
        <Button type="submit" busy={busy}>{t("newStore.submit")}</Button>
        {error != null && <ProblemAlert error={error} />}
      </form>
    </Card>
  );
}
