// Add or edit a product: photos from the phone's camera (resized here, uploaded with progress),
// title, price in rupees (sent as paisa), stock, category, variants, description. A new product
// is sent with an Idempotency-Key and queued when the network fails; the Free plan's cap is
// explained when the server refuses the 16th product.
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, Button, Card, Field, ProblemAlert, fieldError, formatMoney, navigate, parseMoney } from "@alorig/ui";
import { api } from "../api";
import { fill, useT } from "../i18n";
import { queueProduct, readCached, sendOrQueue } from "../offline";
import { storePath, useStores } from "../store";
import type { Category, CategoryList, Picture, Product, ProductInput, Variant } from "../types";
import { resizePhoto, uploadOrKeep } from "../upload";
import { pictureURL } from "../util";
import { PendingPhotoItems, PendingPhotosNote, usePendingPhotos } from "./OfflinePhotos";
import { Suggestions } from "./Suggestions";

function variantsText(vs: Variant[]): string {
  return vs.map((v) => `${v.label}: ${v.options.join(", ")}`).join("\n");
}

function parseVariants(text: string): Variant[] {
  return text.split("\n").map((l) => l.trim()).filter(Boolean).map((l) => {
    const [label, opts = ""] = l.split(":");
    const lab = (label ?? "").trim();
    return { key: lab.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "option", label: lab, options: opts.split(",").map((o) => o.trim()).filter(Boolean) };
  });
}

export function ProductForm({ id }: { id?: number }) {
  const t = useT();
  const store = useStores((s) => s.current)!;
  const [product, setProduct] = useState<Product>();
  const [cats, setCats] = useState<Category[]>([]);
  const [title, setTitle] = useState("");
  const [price, setPrice] = useState("");
  const [stock, setStock] = useState("");
  const [category, setCategory] = useState("");
  const [variants, setVariants] = useState("");
  const [description, setDescription] = useState("");
  const [images, setImages] = useState<Picture[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [photoError, setPhotoError] = useState<unknown>(null);
  const pending = usePendingPhotos();

  useEffect(() => {
    void readCached(`categories:${store.slug}`, () => api.get<CategoryList>(`${storePath()}/categories`)).then((r) => setCats(r.data.categories), setError);
    if (id === undefined) return;
    api.get<Product>(`${storePath()}/products/${id}`).then((p) => {
      setProduct(p);
      setTitle(p.title);
      setPrice(String(p.price_paisa / 100));
      setStock(p.stock == null ? "" : String(p.stock));
      setCategory(p.category_id == null ? "" : String(p.category_id));
      setVariants(variantsText(p.variants));
      setDescription(p.description);
      setImages(p.images);
    }, setError);
  }, [id, store.slug]);

  async function onPhoto(files: FileList | null) {
    if (!files?.length) return;
    setPhotoError(null);
    try {
      for (const f of Array.from(files)) {
        setProgress(0);
        const blob = await resizePhoto(f);
        // A new product keeps a photo the network failed to take; the offline queue uploads it.
        const up = await uploadOrKeep(store.slug, blob, setProgress, id === undefined);
        if ("kept" in up) pending.keep(up.kept);
        else setImages((xs) => [...xs, up.picture]);
      }
    } catch (e) {
      setPhotoError(e);
    } finally {
      setProgress(null);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const paisa = parseMoney(price, "PKR");
    if (paisa === undefined) {
      setError(new ApiError(422, { detail: "the request has invalid fields", errors: [{ field: "price_paisa", reason: t("form.priceInvalid") }] }));
      return;
    }
    const body: ProductInput = { title: title.trim(), price_paisa: paisa, description, variants: parseVariants(variants), images };
    if (stock.trim() !== "") body.stock = Number(stock);
    if (category) body.category_id = Number(category);
    setBusy(true);
    try {
      if (id === undefined && pending.photos.length > 0) {
        await queueProduct(store.slug, `${storePath()}/products`, body, body.title ?? "", pending.photos.map((p) => p.blob));
        navigate("/products");
      } else if (id === undefined) {
        const made = await sendOrQueue<Product>("product", store.slug, `${storePath()}/products`, body, body.title ?? "");
        navigate(made ? `/products/${made.id}` : "/products");
      } else {
        const p = await api.patch<Product>(`${storePath()}/products/${id}`, body);
        setProduct(p);
        navigate("/products");
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const capped = error instanceof ApiError && error.code === "PRODUCT_LIMIT";
  return (
    <Card title={id === undefined ? t("form.add") : t("form.edit", { title: product?.title ?? t("form.product") })}>
      <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
        <div className="flex flex-col gap-2">
          <span className="text-sm font-medium" id="photos-label">{t("form.photos")}</span>
          <ul className="flex flex-wrap gap-2" aria-labelledby="photos-label">
            {images.map((p, i) => (
              <li key={p.hash} className="relative">
                <img src={pictureURL(p, 160)} alt={t("form.photo", { n: i + 1 })} width={80} height={80} className="size-20 rounded object-cover" />
                <button type="button" className="absolute -end-1 -top-1 rounded-full bg-bad px-1.5 text-xs text-white" aria-label={t("form.removePhoto", { n: i + 1 })}
                  onClick={() => setImages((xs) => xs.filter((x) => x.hash !== p.hash))}>×</button>
              </li>
            ))}
            <PendingPhotoItems photos={pending.photos} before={images.length} onRemove={pending.remove} />
          </ul>
          <PendingPhotosNote count={pending.photos.length} />
          <label className="inline-flex min-h-10 w-fit cursor-pointer items-center rounded-md border border-line bg-raised px-4 text-sm font-semibold">
            {t("form.takePhoto")}
            <input type="file" accept="image/*" capture="environment" className="sr-only" onChange={(e) => { void onPhoto(e.target.files); e.target.value = ""; }} />
          </label>
          {progress !== null && (
            <div role="status" className="flex items-center gap-2 text-sm">
              <progress max={1} value={progress} aria-label={t("form.upload")} /> {fill(t("form.uploading"), { pct: <bdi>{Math.round(progress * 100)}%</bdi> })}
            </div>
          )}
          {photoError != null && <ProblemAlert error={photoError} />}
        </div>
        <Field label={t("form.title")} value={title} onChange={(e) => setTitle(e.target.value)} required error={fieldError(error, "title")} />
        <Field label={t("form.price")} inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} required
          hint={parseMoney(price, "PKR") !== undefined ? formatMoney(parseMoney(price, "PKR")!, "PKR") : t("form.priceHint")} error={fieldError(error, "price_paisa")} />
        <Field label={t("form.stock")} inputMode="numeric" value={stock} onChange={(e) => setStock(e.target.value)} hint={t("form.stockHint")} error={fieldError(error, "stock")} />
        <div className="flex flex-col gap-1">
          <label htmlFor="category" className="text-sm font-medium">{t("form.category")}</label>
          <select id="category" value={category} onChange={(e) => setCategory(e.target.value)} className="min-h-10 rounded-md border border-line bg-surface px-3">
            <option value="">{t("form.noCategory")}</option>
            {cats.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
          {fieldError(error, "category_id") && <p className="text-xs text-bad">{fieldError(error, "category_id")}</p>}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="variants" className="text-sm font-medium">{t("form.variants")}</label>
          <textarea id="variants" rows={2} value={variants} onChange={(e) => setVariants(e.target.value)} aria-describedby="variants-hint"
            className="rounded-md border border-line bg-surface px-3 py-2" />
          <p id="variants-hint" className="text-xs text-muted">{t("form.variantsHint")}</p>
          {fieldError(error, "variants") && <p className="text-xs text-bad">{fieldError(error, "variants")}</p>}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="description" className="text-sm font-medium">{t("form.description")}</label>
          <textarea id="description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} className="rounded-md border border-line bg-surface px-3 py-2" />
        </div>
        {capped && (
          <div role="alert" className="rounded border border-warn bg-warn/10 p-2 text-sm">
            <strong>{fill(t("form.capTitle"), { n: <bdi>{String(error.body.limit ?? 15)}</bdi> })}</strong> {error.detail}. {t("form.capBody")} <a className="underline" href="/settings">{t("nav.settings")}</a>.
          </div>
        )}
        {error != null && !capped && <ProblemAlert error={error} />}
        <Button type="submit" busy={busy}>{id === undefined ? t("form.save") : t("form.saveChanges")}</Button>
      </form>
      {/* The AI pipeline's suggestions; an accepted text is put in the form too, so saving keeps it. */}
      {product && <Suggestions product={product} onApplied={(f, v) => (f === "title" ? setTitle(v) : f === "description" ? setDescription(v) : undefined)} />}
    </Card>
  );
}
