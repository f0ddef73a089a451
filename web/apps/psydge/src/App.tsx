import { useEffect } from "react";
import { ProblemAlert, SignIn } from "@alorig/ui";
import { useSession } from "./api";
import { useState } from "react";

export function App() {
  const status = useSession((s) => s.status);
  const load = useSession((s) => s.load);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    load().catch(setError);
  }, [load]);
  if (error) return <ProblemAlert error={error} className="m-6" />;
  if (status === "loading") return <p className="p-6">Loading…</p>;
  if (status !== "signedIn") return <SignIn useSession={useSession} product="Psydge" />;
  return <main className="p-6"><h1 className="text-xl font-bold">Psydge</h1></main>;
}
