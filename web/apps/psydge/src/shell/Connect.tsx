// Shown while the trader has no broker connection.
export function ConnectBroker({ onConnected: _ }: { onConnected(): void }) {
  return <p>Connect a broker.</p>;
}
