// The settings' broker section: the trader's connections (ended ones as history) and ending
// one. Ending a connection does not close positions at the broker; the panel says so before.
import { useEffect, useState } from "react";
import { Badge, Button, Card, formatMoney, ProblemAlert, useLocale } from "@alorig/ui";
import { useT } from "../i18n";
import { ConnectOptions } from "./Connect";
import { hasLiveConnection, useConnections } from "./connections";
import type { Connection } from "../types";

const tones: Record<string, "good" | "bad" | "warn" | "neutral"> = {
  connected: "good", connecting: "warn", failed: "bad", disconnected: "neutral",
};

/** onChanged runs after a connection was made or ended (the panel re-checks its gate). */
export function BrokerSettings({ onChanged }: { onChanged?: () => void }) {
  const t = useT();
  const list = useConnections((s) => s.list);
  const load = useConnections((s) => s.load);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    load().catch(setError);
  }, [load]);

  return (
    <Card title={t("brokers.title")}>
      <div className="flex flex-col gap-3">
        <ProblemAlert error={error} />
        {list === undefined && !error && <p role="status" className="text-sm text-muted">{t("common.loading")}</p>}
        {list && list.length === 0 && <p className="text-sm text-muted">{t("brokers.none")}</p>}
        {list && list.length > 0 && (
          <ul aria-label={t("brokers.list")} className="flex flex-col divide-y divide-line">
            {list.map((c) => <ConnectionRow key={c.id} c={c} onChanged={onChanged} />)}
          </ul>
        )}
        {list && !hasLiveConnection(list) && <ConnectOptions onConnected={() => onChanged?.()} />}
      </div>
    </Card>
  );
}

function ConnectionRow({ c, onChanged }: { c: Connection; onChanged?: () => void }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const remove = useConnections((s) => s.remove);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const name = c.broker === "paper" ? t("brokers.paper") : t("brokers.metaapi");
  const account = c.account_number || `#${c.id}`;

  async function end() {
    setBusy(true);
    setError(undefined);
    try {
      await remove(c.id);
      setConfirming(false);
      onChanged?.();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="flex flex-col gap-2 py-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold">{name}</span>
        <span className="num text-sm">{account}</span>
        {c.server && <span className="text-sm text-muted">{c.server}</span>}
        <Badge tone={tones[c.connection_status] ?? "neutral"}>{t(`brokers.status.${c.connection_status}`)}</Badge>
      </div>
      <p className="text-xs text-muted">
        {t("brokers.since", { date: new Date(c.created_at).toLocaleDateString(locale) })}
        {" · "}{c.currency}
        {c.paper_balance ? <> · {t("brokers.balance", { amount: formatMoney(c.paper_balance, c.currency, locale) })}</> : null}
      </p>
      {c.last_error && <p className="text-sm text-bad">{c.last_error}</p>}
      <ProblemAlert error={error} />
      {c.connection_status !== "disconnected" && !confirming && (
        <div>
          <Button variant="secondary" onClick={() => setConfirming(true)} aria-label={t("brokers.disconnectNamed", { name, account })}>
            {t("brokers.disconnect")}
          </Button>
        </div>
      )}
      {confirming && (
        <div role="group" aria-label={t("brokers.confirmLabel")} className="flex flex-col gap-2 rounded-md border border-warn/50 bg-warn/10 p-3">
          <p className="text-sm">{t("brokers.confirm", { name, account })}</p>
          <div className="flex flex-wrap gap-2">
            <Button variant="danger" busy={busy} onClick={() => void end()}>{t("brokers.confirmYes")}</Button>
            <Button variant="ghost" onClick={() => setConfirming(false)}>{t("common.cancel")}</Button>
          </div>
        </div>
      )}
    </li>
  );
}
