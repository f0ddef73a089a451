// Shown while the trader has no broker connection: the paper account in one click, or a
// MetaApi account. The MetaApi token goes to the API once and is cleared from the form as it
// is sent, whatever the answer: the browser never keeps it (no storage, no state after send).
import { useId, useState, type FormEvent } from "react";
import { Button, Card, Field, fieldError, LocaleSelect, ProblemAlert, ThemeToggle } from "@alorig/ui";
import { useSession } from "../api";
import { useLive } from "../live/store";
import { useT } from "../i18n";
import { ConnectFailed, useConnections } from "./connections";
import type { Connection } from "../types";

const PAPER_CURRENCIES = ["USD", "EUR", "GBP", "JPY"] as const;

export function ConnectBroker({ onConnected }: { onConnected(): void }) {
  const t = useT();
  const signOut = useSession((s) => s.signOut);
  const email = useSession((s) => s.user?.email);
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex flex-wrap items-center gap-2 border-b border-line bg-surface px-4 py-2">
        <span className="font-bold">Psydge</span>
        <span className="ms-auto flex flex-wrap items-center gap-2">
          {email && <span className="hidden text-sm text-muted sm:inline">{email}</span>}
          <LocaleSelect />
          <ThemeToggle />
          <Button variant="secondary" onClick={() => void signOut().finally(() => {
            useLive.getState().reset();
            useConnections.getState().reset();
          })}>
            {t("auth.signOut")}
          </Button>
        </span>
      </header>
      <main className="mx-auto flex w-full max-w-3xl flex-col gap-4 p-4">
        <h1 className="text-2xl font-bold">{t("connect.title")}</h1>
        <p className="text-muted">{t("connect.intro")}</p>
        <ConnectOptions onConnected={onConnected} />
      </main>
    </div>
  );
}

/** The two ways to connect, also offered by the settings when no connection is live. */
export function ConnectOptions({ onConnected }: { onConnected(c: Connection): void }) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <PaperCard onConnected={onConnected} />
      <MetaApiCard onConnected={onConnected} />
    </div>
  );
}

function PaperCard({ onConnected }: { onConnected(c: Connection): void }) {
  const t = useT();
  const connect = useConnections((s) => s.connect);
  const currencyId = useId();
  const [currency, setCurrency] = useState<(typeof PAPER_CURRENCIES)[number]>("USD");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function connectPaper() {
    setBusy(true);
    setError(undefined);
    try {
      onConnected(await connect({ broker: "paper", currency }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("connect.paper.title")}>
      <div className="flex flex-col gap-3">
        <p className="text-sm text-muted">{t("connect.paper.body")}</p>
        <div className="flex flex-col gap-1">
          <label htmlFor={currencyId} className="text-sm font-medium">{t("connect.paper.currency")}</label>
          <select id={currencyId} value={currency} onChange={(e) => setCurrency(e.target.value as typeof currency)}
            className="min-h-10 rounded-md border border-line bg-surface px-2 text-sm">
            {PAPER_CURRENCIES.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </div>
        <ConnectError error={error} />
        <Button busy={busy} onClick={() => void connectPaper()}>{t("connect.paper.button")}</Button>
      </div>
    </Card>
  );
}

function MetaApiCard({ onConnected }: { onConnected(c: Connection): void }) {
  const t = useT();
  const connect = useConnections((s) => s.connect);
  const [accountId, setAccountId] = useState("");
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const sent = token;
    // Cleared before the request leaves: nothing holds the token while it is in flight.
    setToken("");
    setBusy(true);
    setError(undefined);
    try {
      const c = await connect({ broker: "metaapi", account_id: accountId.trim(), token: sent });
      setAccountId("");
      onConnected(c);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("connect.metaapi.title")}>
      <form onSubmit={(e) => void submit(e)} aria-label={t("connect.metaapi.form")} className="flex flex-col gap-3" autoComplete="off">
        <p className="text-sm text-muted">{t("connect.metaapi.body")}</p>
        <Field label={t("connect.metaapi.accountId")} required value={accountId} autoComplete="off" spellCheck={false}
          onChange={(e) => setAccountId(e.target.value)} error={fieldError(error, "account_id")} />
        <Field label={t("connect.metaapi.token")} type="password" value={token} autoComplete="off" spellCheck={false}
          hint={t("connect.metaapi.tokenHint")} onChange={(e) => setToken(e.target.value)} error={fieldError(error, "token")} />
        <ConnectError error={error} />
        <Button type="submit" busy={busy}>{t("connect.metaapi.button")}</Button>
      </form>
    </Card>
  );
}

function ConnectError({ error }: { error: unknown }) {
  const t = useT();
  if (error instanceof ConnectFailed) {
    return (
      <div role="alert" className="rounded-md border border-bad/50 bg-bad/10 p-3 text-sm">
        <p className="font-semibold">{t("connect.failed")}</p>
        <p>{error.message}</p>
      </div>
    );
  }
  return <ProblemAlert error={error} />;
}
