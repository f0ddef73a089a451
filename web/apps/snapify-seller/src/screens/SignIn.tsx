// Sign-in with a WhatsApp one-time code: the number, then the six digits WhatsApp delivers.
import { useState, type FormEvent } from "react";
import { Button, Field, ProblemAlert, fieldError, useLocale } from "@alorig/ui";
import { useSession } from "../api";

export function SignIn({ expired }: { expired?: boolean }) {
  const { sendCode, verify } = useSession();
  const locale = useLocale((s) => s.locale);
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [sent, setSent] = useState<{ expires: number; devCode?: string; why?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function onSend(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await sendCode(phone, locale);
      setSent({ expires: res.expires_in, devCode: res.dev_code, why: res.whatsapp });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function onVerify(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await verify(phone, code.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-4 p-4">
      <h1 className="text-2xl font-bold">Snapify · Seller</h1>
      {expired && <p role="status" className="text-sm text-warn">Your session ended. Sign in again; nothing you typed is lost.</p>}
      {!sent ? (
        <form onSubmit={onSend} className="flex flex-col gap-3" noValidate>
          <Field label="WhatsApp number" name="phone" type="tel" inputMode="tel" autoComplete="tel" required
            value={phone} onChange={(e) => setPhone(e.target.value)} hint="e.g. 0300 1234567. We send a sign-in code on WhatsApp."
            error={fieldError(error, "phone")} />
          <Button type="submit" busy={busy}>Send code on WhatsApp</Button>
        </form>
      ) : (
        <form onSubmit={onVerify} className="flex flex-col gap-3" noValidate>
          {sent.devCode ? (
            // A development server without WhatsApp says why nothing was sent and hands the code
            // back itself (production never does).
            <p role="status" className="rounded-md bg-warn/15 p-3 text-sm">
              Development server: no WhatsApp message was sent{sent.why ? ` (${sent.why})` : ""}. Your code is{" "}
              <strong className="num" data-dev-code>{sent.devCode}</strong>.
            </p>
          ) : (
            <p role="status" className="text-sm">A code was sent on WhatsApp to {phone}. It works for {Math.round(sent.expires / 60)} minutes.</p>
          )}
          <Field label="Code" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required
            value={code} onChange={(e) => setCode(e.target.value)} error={fieldError(error, "code")} />
          <Button type="submit" busy={busy}>Sign in</Button>
          <Button variant="ghost" onClick={() => { setSent(null); setCode(""); }}>Use another number</Button>
        </form>
      )}
      {error != null && <ProblemAlert error={error} />}
    </main>
  );
}
