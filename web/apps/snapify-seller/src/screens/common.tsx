import { useQueue, useOnline } from "../offline";
import { Button } from "@alorig/ui";
import { fill, useT } from "../i18n";
import { QueuedPhotos } from "./OfflinePhotos";

/** Says when a screen shows the data kept from the last time the server answered. */
export function Stale({ stale }: { stale: boolean }) {
  const t = useT();
  if (!stale) return null;
  return <p role="status" className="mb-2 rounded border border-warn/40 bg-warn/10 px-2 py-1 text-sm text-warn">{t("stale")}</p>;
}

/** The offline queue: what waits to be sent, and what the server refused, with its reason. */
export function QueuePanel() {
  const t = useT();
  const { items, sending, flush, discard } = useQueue();
  const online = useOnline((s) => s.online);
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="queue-title" className="rounded-lg border border-warn/50 bg-warn/10 p-3 text-sm">
      <h2 id="queue-title" className="font-semibold">{fill(t("queue.title"), { n: <bdi>{items.length}</bdi> })}</h2>
      <p role="status" className="text-muted">{online ? (sending ? t("queue.sending") : t("queue.whenServer")) : t("queue.offline")}</p>
      <ul className="mt-2 flex flex-col gap-1" aria-label={t("queue.list")}>
        {items.map((i) => (
          <li key={i.key} className="flex flex-wrap items-center gap-2">
            <span className="flex-1">{i.kind === "product" ? t("queue.product") : t("queue.status")}{i.label}</span>
            <QueuedPhotos item={i} />
            {i.retry && !i.error && <span className="w-full text-muted">{t("queue.retry", { detail: i.retry.detail, code: i.retry.code })}</span>}
            {i.error && <span role="alert" className="w-full text-bad">{t("queue.refused", { detail: i.error.detail, code: i.error.code })}</span>}
            {i.error && <Button variant="ghost" onClick={() => discard(i.key)}>{t("queue.discard")}</Button>}
          </li>
        ))}
      </ul>
      {online && !sending && <Button variant="secondary" className="mt-2" onClick={() => void flush()}>{t("queue.send")}</Button>}
    </section>
  );
}
