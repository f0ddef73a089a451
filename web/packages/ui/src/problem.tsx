// Shows a failed request the way the server explained it: the problem's detail, each field's
// reason, and the request id to quote. Nothing is swallowed: an unknown error shows its message.
import { ApiError, NetworkError } from "./api";
import { useSharedT } from "./i18n";

export function ProblemAlert({ error, className = "" }: { error: unknown; className?: string }) {
  const t = useSharedT();
  if (!error) return null;
  if (error instanceof ApiError) {
    return (
      <div role="alert" className={`rounded-md border border-bad/50 bg-bad/10 p-3 text-sm ${className}`}>
        <p className="font-semibold">{error.title}</p>
        {error.detail !== error.title && <p>{error.detail}</p>}
        {error.fields.length > 0 && (
          <ul className="mt-1 list-disc ps-5">
            {error.fields.map((f) => <li key={f.field}><code>{f.field}</code>: {f.message}</li>)}
          </ul>
        )}
        {error.requestId && <p className="mt-1 text-xs text-muted">{t("problem.requestId", { id: error.requestId })}</p>}
      </div>
    );
  }
  const msg = error instanceof NetworkError ? t("problem.network") : error instanceof Error ? error.message : String(error);
  return <div role="alert" className={`rounded-md border border-bad/50 bg-bad/10 p-3 text-sm ${className}`}>{msg}</div>;
}

/** The server's reason for one field of a failed request, for <Field error=…>. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.field(field) : undefined;
}
