// The panel: sign-in until there is a session, broker connection until there is one, then the
// screens. An expired session shows sign-in over the panel without unmounting it, so the ticket
// being written survives the round trip.
import { useEffect, useState } from "react";
import { ProblemAlert, SignIn, setRouterBase, useRoute } from "@alorig/ui";
import { useSession } from "./api";
import { useLive } from "./live/store";
import { Layout } from "./shell/Layout";
import { ConnectBroker } from "./shell/Connect";
import { TradeScreen } from "./trade/TradeScreen";
import { Escalation } from "./trade/Escalation";
import { SignalsScreen } from "./review/SignalsScreen";
import { ScoreScreen } from "./review/ScoreScreen";
import { JournalScreen } from "./review/JournalScreen";
import { DisciplineScreen } from "./review/DisciplineScreen";
import { AIScreen } from "./ai/AIScreen";
import { hasLiveConnection, useConnections } from "./shell/connections";

setRouterBase("/app");

const screens: Record<string, () => React.JSX.Element> = {
  "/": TradeScreen,
  "/signals": SignalsScreen,
  "/score": ScoreScreen,
  "/journal": JournalScreen,
  "/settings": DisciplineScreen,
  "/ai": AIScreen,
};

export function App() {
  const status = useSession((s) => s.status);
  const load = useSession((s) => s.load);
  const [error, setError] = useState<unknown>();
  const connections = useConnections((s) => s.list);
  const route = useRoute();

  useEffect(() => {
    load().catch(setError);
  }, [load]);

  useEffect(() => {
    if (status !== "signedIn") return;
    useConnections.getState().load().catch(setError);
  }, [status]);

  // Only a connection in use opens the panel: an ended one sends the trader back to connect, and
  // ending the last one in Settings does so at once (the list is one shared store).
  const connected = status !== "loading" && status !== "signedOut" && hasLiveConnection(connections);
  useEffect(() => {
    if (connected && status === "signedIn") useLive.getState().connect();
    return () => useLive.getState().disconnect();
  }, [connected, status]);

  if (error) return <ProblemAlert error={error} className="m-6" />;
  if (status === "loading") return <p className="p-6">Loading…</p>;
  if (status === "signedOut") return <SignIn useSession={useSession} product="Psydge" />;
  if (connections === undefined && status === "signedIn") return <p className="p-6">Loading…</p>;

  const Screen = screens[route] ?? TradeScreen;
  return (
    <>
      {status === "expired" && (
        <div className="fixed inset-0 z-50 overflow-auto bg-bg/95">
          <SignIn useSession={useSession} product="Psydge" allowSignUp={false} />
        </div>
      )}
      <div inert={status === "expired"}>
        {connected ? (
          <Layout>
            <Screen />
            <Escalation />
          </Layout>
        ) : (
          <ConnectBroker onConnected={() => void useConnections.getState().load().catch(setError)} />
        )}
      </div>
    </>
  );
}
