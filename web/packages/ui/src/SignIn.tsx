// Sign-in and sign-up on one form. With `expired` it explains that the session ended and that
// the app kept what was being written; the app's own state stays mounted underneath.
import { useState, type FormEvent } from "react";
import type { StoreApi, UseBoundStore } from "zustand";
import type { SessionState } from "./auth";
import { Button, Field } from "./components";
import { fieldError, ProblemAlert } from "./problem";
import { useSharedT } from "./i18n";

export function SignIn({ useSession, product, allowSignUp = true }:
  { useSession: UseBoundStore<StoreApi<SessionState>>; product: string; allowSignUp?: boolean }) {
  const t = useSharedT();
  const status = useSession((s) => s.status);
  const signIn = useSession((s) => s.signIn);
  const signUp = useSession((s) => s.signUp);
  const [mode, setMode] = useState<"in" | "up">("in");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (mode === "in") await signIn(email, password);
      else await signUp(email, password);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-4 p-6">
      <h1 className="text-2xl font-bold">{product}</h1>
      {status === "expired" && <p role="status" className="rounded-md bg-warn/15 p-3 text-sm">{t("auth.expired")}</p>}
      <form onSubmit={submit} className="flex flex-col gap-3" aria-label={mode === "in" ? t("auth.signIn") : t("auth.signUp")}>
        <Field label={t("auth.email")} type="email" autoComplete="email" required value={email}
          onChange={(e) => setEmail(e.target.value)} error={fieldError(error, "email")} />
        <Field label={t("auth.password")} type="password" required minLength={mode === "up" ? 12 : undefined}
          autoComplete={mode === "in" ? "current-password" : "new-password"} value={password}
          hint={mode === "up" ? t("auth.passwordHint") : undefined}
          onChange={(e) => setPassword(e.target.value)} error={fieldError(error, "password")} />
        <ProblemAlert error={error} />
        <Button type="submit" busy={busy}>{mode === "in" ? t("auth.signIn") : t("auth.signUp")}</Button>
      </form>
      {allowSignUp && (
        <Button variant="ghost" onClick={() => { setMode(mode === "in" ? "up" : "in"); setError(undefined); }}>
          {mode === "in" ? t("auth.needAccount") : t("auth.haveAccount")}
        </Button>
      )}
    </main>
  );
}
