// A phone photo is resized in the browser before it is sent: a 12-megapixel camera picture
// becomes a JPEG of at most 1600 px on its long side (quality 0.85), a few hundred kilobytes
// instead of several megabytes on a slow network. The upload reports its progress.
import { ApiError, NetworkError, readCookie } from "@alorig/ui";
import type { Uploaded } from "./types";

export const MAX_SIDE = 1600;
export const QUALITY = 0.85;

export async function resizePhoto(file: File, maxSide = MAX_SIDE): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("This browser cannot resize pictures.");
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("The picture could not be encoded."))), "image/jpeg", QUALITY));
}

/** POST /stores/{store}/images as multipart, calling onProgress with 0..1 while it sends. */
export function uploadPhoto(store: string, blob: Blob, onProgress: (f: number) => void): Promise<Uploaded> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/stores/${encodeURIComponent(store)}/images`);
    xhr.setRequestHeader("Accept", "application/json");
    const csrf = readCookie("snapify_csrf");
    if (csrf) xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        body = { detail: xhr.responseText.slice(0, 300) };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as unknown as Uploaded);
      else reject(new ApiError(xhr.status, body));
    };
    xhr.onerror = () => reject(new NetworkError(new Error("upload failed")));
    xhr.ontimeout = xhr.onerror;
    xhr.timeout = 120_000;
    const form = new FormData();
    form.append("file", blob, "photo.jpg");
    xhr.send(form);
  });
}

/**
 * Uploads a resized photo. When the network fails and keep is true (a new product, which the
 * offline queue can create later), the photo is answered back to be kept with the product
 * instead of the failure; any other failure is thrown.
 */
export async function uploadOrKeep(store: string, blob: Blob, onProgress: (f: number) => void, keep: boolean): Promise<{ picture: Uploaded["picture"] } | { kept: Blob }> {
  try {
    return { picture: (await uploadPhoto(store, blob, onProgress)).picture };
  } catch (e) {
    if (keep && e instanceof NetworkError) return { kept: blob };
    throw e;
  }
}

/** A size as a seller reads it: "850 KB", "1.4 MB". */
export function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
