// Rows of the audit log: when, who, what, to what, why, what came of it, and whether the
// seller was told.
import { Badge } from "@alorig/ui";
import { useT } from "../../i18n";
import { ScrollTable, useDates } from "../../lib/ui";
import type { AuditEntry } from "../../types";

const tones = { none: "neutral", queued: "warn", sent: "good", failed: "bad", not_sent: "bad" } as const;

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const t = useT();
  const { dateTime } = useDates();
  if (entries.length === 0) return <p className="text-sm text-muted">{t("audit.empty")}</p>;
  return (
    <ScrollTable label={t("audit.title")}>
      <thead>
        <tr>
          <th scope="col">{t("audit.col.when")}</th>
          <th scope="col">{t("audit.col.who")}</th>
          <th scope="col">{t("audit.col.what")}</th>
          <th scope="col">{t("audit.col.target")}</th>
          <th scope="col">{t("audit.col.reason")}</th>
          <th scope="col">{t("audit.col.outcome")}</th>
          <th scope="col">{t("audit.col.notice")}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} data-action={e.action}>
            <td className="whitespace-nowrap">{dateTime(e.created_at)}</td>
            <td dir="auto">{e.actor}</td>
            <td>{t(`action.${e.action}`)}</td>
            <td dir="auto">{e.target_label || `${e.target_type} ${e.target_id}`}</td>
            <td dir="auto">{e.reason || t("common.none")}</td>
            <td dir="auto">{e.outcome}</td>
            <td>
              <Badge tone={tones[e.notice]}>{t(`noticeShort.${e.notice}`)}</Badge>
              {e.notice_detail && <div className="mt-1 text-xs text-muted">{e.notice_detail}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}
