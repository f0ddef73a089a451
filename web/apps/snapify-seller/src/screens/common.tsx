import { useQueue, useOnline } from "../offline";
import { Button } from "@alorig/ui";

/** Says when a screen shows the data kept from the last time the server answered. */
export function Stale({ stale }: { stale: boolean }) {
  if (!stale) return null;
  return <p role="status" className="mb-2 rounded border border-warn/40 bg-warn/10 px-2 py-1 text-sm text-warn">Offline: showing the data from your last visit.</p>;
}

/** The offline queue: what waits to be sent, and what the server refused, with its reason. */
export function QueuePanel() {
  const { items, sending, flush, discard } = useQueue();
  const online = useOnline((s) => s.online);
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="queue-title" className="rounded-lg border border-warn/50 bg-warn/10 p-3 text-sm">
      <h2 id="queue-title" className="font-semibold">Waiting to send ({items.length})</h2>
      <p role="status" className="text-muted">{online ? (sending ? "Sending…" : "Sent when the server answers.") : "You are offline. These are sent when the network returns."}</p>
      <ul className="mt-2 flex flex-col gap-1" aria-label="Queued changes">
        {items.map((i) => (
          <li key={i.key} className="flex flex-wrap items-center gap-2">
            <span className="flex-1">{i.kind === "product" ? "New product: " : "Order status: "}{i.label}</span>
            {i.error && <span role="alert" className="w-full text-bad">Refused: {i.error.detail} ({i.error.code})</span>}
            {i.error && <Button variant="ghost" onClick={() => discard(i.key)}>Discard</Button>}
          </li>
        ))}
      </ul>
      {online && !sending && <Button variant="secondary" className="mt-2" onClick={() => void flush()}>Send now</Button>}
    </section>
  );
}
