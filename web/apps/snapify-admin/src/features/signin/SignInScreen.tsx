// The admins' sign-in: email and password, checked by the server's admin login, which refuses
// any account without the admin role.
import { useState, type FormEvent } from "react";
import { Button, Field, fieldError, LocaleSelect, ProblemAlert, ThemeToggle, useSharedT } from "@alorig/ui";
import { adminSignIn, useSession } from "../../api";
import { useT } from "../../i18n";

export function SignInScreen() {
  const t = useT();
  const shared = useSharedT();
  const status = useSession((s) => s.status);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await adminSignIn(email, password);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-4 p-6">
      <div className="flex justify-end gap-2"><LocaleSelect /><ThemeToggle /></div>
      <h1 className="text-2xl font-bold">{t("signin.title")}</h1>
      <p className="text-sm text-muted">{t("signin.lead")}</p>
      {status === "expired" && <p role="status" className="rounded-md bg-warn/15 p-3 text-sm">{shared("auth.expired")}</p>}
      <form onSubmit={submit} className="flex flex-col gap-3" aria-label={shared("auth.signIn")}>
        <Field label={shared("auth.email")} type="email" autoComplete="username" required value={email}
          onChange={(e) => setEmail(e.target.value)} error={fieldError(error, "email")} />
        <Field label={shared("auth.password")} type="password" autoComplete="current-password" required value={password}
          onChange={(e) => setPassword(e.target.value)} error={fieldError(error, "password")} />
        <ProblemAlert error={error} />
        <Button type="submit" busy={busy}>{shared("auth.signIn")}</Button>
      </form>
    </main>
  );
}
