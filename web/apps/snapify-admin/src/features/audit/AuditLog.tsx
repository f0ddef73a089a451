// The audit log of admin actions, newest first, filtered by action, fifty a page.
import { useState } from "react";
import { ProblemAlert } from "@alorig/ui";
import { useT } from "../../i18n";
import { useResource } from "../../lib/useResource";
import { Pager, Select, useDates } from "../../lib/ui";
import type { AuditAction, AuditPage } from "../../types";
import { AuditTable } from "./AuditTable";

const actions: AuditAction[] = ["sign_in", "verify", "unverify", "suspend", "unsuspend", "set_plan", "approve_product", "block_product"];

export function AuditLog() {
  const t = useT();
  const { number } = useDates();
  const [action, setAction] = useState<AuditAction | "">("");
  const [page, setPage] = useState(1);
  const res = useResource<AuditPage>("/admin/audit", { action, page });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-bold">{t("audit.title")}</h1>
      <div className="max-w-xs">
        <Select label={t("audit.action")} value={action} onChange={(e) => { setAction(e.target.value as AuditAction | ""); setPage(1); }}>
          <option value="">{t("audit.all")}</option>
          {actions.map((a) => <option key={a} value={a}>{t(`action.${a}`)}</option>)}
        </Select>
      </div>
      <ProblemAlert error={res.error} />
      {res.data && (
        <>
          <p role="status" className="text-sm text-muted">{t("audit.count", { n: number(res.data.total) })}</p>
          <AuditTable entries={res.data.entries} />
          <Pager page={page} total={res.data.total} size={50} onPage={setPage} />
        </>
      )}
    </div>
  );
}
