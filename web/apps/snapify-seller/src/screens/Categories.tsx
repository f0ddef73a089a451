import { useEffect, useState, type FormEvent } from "react";
import { Button, Card, Field, ProblemAlert, fieldError } from "@alorig/ui";
import { api } from "../api";
import { useT } from "../i18n";
import { readCached } from "../offline";
import { storePath, useStores } from "../store";
import type { Category, CategoryList } from "../types";
import { Stale } from "./common";

export function Categories() {
  const t = useT();
  const store = useStores((s) => s.current)!;
  const [cats, setCats] = useState<Category[]>();
  const [stale, setStale] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const load = () => readCached(`categories:${store.slug}`, () => api.get<CategoryList>(`${storePath()}/categories`)).then((r) => {
    setCats(r.data.categories);
    setStale(r.stale);
  }, setError);
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store.slug]);
  async function add(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(`${storePath()}/categories`, { name: name.trim() });
      setName("");
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  async function remove(c: Category) {
    setError(null);
    try {
      await api.del(`${storePath()}/categories/${c.id}`);
      await load();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <Card title={t("categories.title")}>
      <Stale stale={stale} />
      <ul className="mb-3 flex flex-col divide-y divide-line">
        {cats?.map((c) => (
          <li key={c.id} className="flex min-h-11 items-center gap-2">
            <span className="flex-1">{c.name} <span className="text-sm text-muted">(<bdi>{c.product_count}</bdi>)</span></span>
            <Button variant="ghost" onClick={() => void remove(c)} aria-label={t("categories.deleteNamed", { name: c.name })}>{t("categories.delete")}</Button>
          </li>
        ))}
        {cats?.length === 0 && <li className="text-muted">{t("categories.none")}</li>}
      </ul>
      <form onSubmit={add} className="flex items-end gap-2" noValidate>
        <Field label={t("categories.new")} value={name} onChange={(e) => setName(e.target.value)} className="flex-1" error={fieldError(error, "name")} />
        <Button type="submit" busy={busy}>{t("categories.add")}</Button>
      </form>
      {error != null && <ProblemAlert error={error} className="mt-2" />}
    </Card>
  );
}
