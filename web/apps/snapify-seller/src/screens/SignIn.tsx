// Sign-in with a WhatsApp one-time code: the number, then the six digits WhatsApp delivers.
import { useState, type FormEvent } from "react";
import { Button, Field, ProblemAlert, fieldError, useLocale } from "@alorig/ui";
import { useSession } from "../api";
import { fill, useT } from "../i18n";

export function SignIn({ expired }: { expired?: boolean }) {
  const t = useT();
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
      <h1 className="text-2xl font-bold">{t("app.title")}</h1>
      {expired && <p role="status" className="text-sm text-warn">{t("signin.expired")}</p>}
      {!sent ? (
        <form onSubmit={onSend} className="flex flex-col gap-3" noValidate>
          <Field label={t("signin.phone")} name="phone" type="tel" inputMode="tel" autoComplete="tel" required
            value={phone} onChange={(e) => setPhone(e.target.value)} hint={t("signin.phoneHint")}
            error={fieldError(error, "phone")} />
          <Button type="submit" busy={busy}>{t("signin.send")}</Button>
        </form>
      ) : (
        <form onSubmit={onVerify} className="flex flex-col gap-3" noValidate>
          {sent.devCode ? (
            // A development server without WhatsApp says why nothing was sent and hands the code
            // back itself (production never does).
            <p role="status" className="rounded-md bg-warn/15 p-3 text-sm [overflow-wrap:anywhere]">
              {fill(t("signin.dev"), { why: sent.why ? <> (<bdi>{sent.why}</bdi>)</> : "", code: <strong className="num" data-dev-code><bdi>{sent.devCode}</bdi></strong> })}
            </p>
          ) : (
            <p role="status" className="text-sm">{fill(t("signin.sent"), { phone: <bdi>{phone}</bdi>, minutes: <bdi>{Math.round(sent.expires / 60)}</bdi> })}</p>
          )}
          <Field label={t("signin.code")} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required
            value={code} onChange={(e) => setCode(e.target.value)} error={fieldError(error, "code")} />
          <Button type="submit" busy={busy}>{t("signin.submit")}</Button>
          <Button variant="ghost" onClick={() => { setSent(null); setCode(""); }}>{t("signin.other")}</Button>
        </form>
      )}
      {error != null && <ProblemAlert error={error} />}
    </main>
  );
}
