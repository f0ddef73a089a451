// Photos taken without a network. In the product form they wait beside the uploaded ones, with
// their size, until the product is saved into the offline queue (usePendingPhotos,
// PendingPhotoItems); in the queue each is shown from the phone's storage with its size, marked
// once uploaded, and the upload under way has its progress bar (QueuedPhotos).
import { useEffect, useRef, useState } from "react";
import { fill, useT } from "../i18n";
import { keptPhoto, useQueue, type Queued } from "../offline";
import { sizeText } from "../upload";

export interface PendingPhoto {
  id: number;
  blob: Blob;
  url: string;
}

let seq = 0;

/** The form's photos that could not be uploaded; their object URLs are freed with the form. */
export function usePendingPhotos() {
  const [photos, setPhotos] = useState<PendingPhoto[]>([]);
  const urls = useRef(new Set<string>());
  useEffect(() => {
    const held = urls.current;
    return () => {
      for (const u of held) URL.revokeObjectURL(u);
      held.clear();
    };
  }, []);
  return {
    photos,
    keep(blob: Blob) {
      const url = URL.createObjectURL(blob);
      urls.current.add(url);
      setPhotos((xs) => [...xs, { id: ++seq, blob, url }]);
    },
    remove(id: number) {
      const p = photos.find((x) => x.id === id);
      if (p) {
        URL.revokeObjectURL(p.url);
        urls.current.delete(p.url);
      }
      setPhotos((xs) => xs.filter((x) => x.id !== id));
    },
  };
}

/** List items for the form's photo list: each waiting photo after the `before` uploaded ones. */
export function PendingPhotoItems({ photos, before, onRemove }: { photos: PendingPhoto[]; before: number; onRemove(id: number): void }) {
  const t = useT();
  return photos.map((p, i) => (
    <li key={p.id} className="relative w-20">
      <img src={p.url} alt={t("form.photo", { n: before + i + 1 })} width={80} height={80} className="size-20 rounded object-cover" />
      <span className="block text-[11px] leading-tight text-muted">{fill(t("form.photoWaiting"), { size: <bdi>{sizeText(p.blob.size)}</bdi> })}</span>
      <button type="button" className="absolute -end-1 -top-1 rounded-full bg-bad px-1.5 text-xs text-white" aria-label={t("form.removePhoto", { n: before + i + 1 })}
        onClick={() => onRemove(p.id)}>×</button>
    </li>
  ));
}

/** The note under the form's photos while some wait for the network. */
export function PendingPhotosNote({ count }: { count: number }) {
  const t = useT();
  if (count === 0) return null;
  return <p role="status" className="text-sm text-muted">{t("form.photoKept")}</p>;
}

/** A queued product's photos: thumbnails from the phone with their sizes, and the upload's progress. */
export function QueuedPhotos({ item }: { item: Queued }) {
  const t = useT();
  const progress = useQueue((s) => (s.progress?.key === item.key ? s.progress : undefined));
  if (!item.photos?.length) return null;
  return (
    <>
      <ul className="flex w-full flex-wrap gap-2">
        {item.photos.map((p, i) => <Thumb key={p.id} id={p.id} label={t("queue.photo", { n: i + 1, size: sizeText(p.bytes) })} size={sizeText(p.bytes)} sent={!!p.picture} />)}
      </ul>
      {progress && (
        <div role="status" className="flex w-full items-center gap-2">
          <progress max={1} value={progress.fraction} aria-label={t("queue.uploading", { n: progress.photo, of: progress.photos })} />
          {fill(t("queue.uploading"), { n: <bdi>{progress.photo}</bdi>, of: <bdi>{progress.photos}</bdi> })} <bdi>{Math.round(progress.fraction * 100)}%</bdi>
        </div>
      )}
    </>
  );
}

function Thumb({ id, label, size, sent }: { id: string; label: string; size: string; sent: boolean }) {
  const t = useT();
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    let live = true;
    let made: string | undefined;
    // A photo the storage cannot give back shows as an empty square; sending it names the problem.
    keptPhoto(id).then((b) => {
      if (!live || !b) return;
      made = URL.createObjectURL(b);
      setUrl(made);
    }, () => undefined);
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [id]);
  return (
    <li className="flex w-14 flex-col items-center text-xs">
      {url ? <img src={url} alt={label} width={48} height={48} className="size-12 rounded object-cover" />
        : <span role="img" aria-label={label} className="size-12 rounded bg-raised" />}
      <bdi>{size}</bdi>
      {sent && <span>{t("queue.photoSent")}</span>}
    </li>
  );
}
