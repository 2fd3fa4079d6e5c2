import { Card, CardHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import type { AnalyticsGroup } from "@/lib/services/analytics/get-analytics-summary";
import { formatCount, formatMs, formatPercent } from "./format";

/** The largest groups of one breakdown, with a bar for their share of the requests. */
export function TopTable({
  title,
  groups,
  total,
  empty,
  note,
}: {
  title: string;
  groups: AnalyticsGroup[];
  total: number;
  empty: string;
  /** A line under the table, e.g. why some traffic has no breakdown. */
  note?: string | null;
}) {
  return (
    <Card>
      <CardHeader title={title} />
      {groups.length === 0 ? (
        <p className="px-5 py-6 text-sm text-slate-500 dark:text-slate-400">{empty}</p>
      ) : (
        <Table aria-label={title}>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th className="text-right">Requests</Th>
              <Th className="text-right">Errors</Th>
              <Th className="text-right">p95</Th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.key}>
                <Td className="max-w-[14rem]">
                  <span className="block truncate" title={g.key ? `${g.label} (${g.key})` : g.label}>
                    {g.label}
                  </span>
                  <span className="mt-1 block h-1 rounded-full bg-slate-100 dark:bg-slate-800" aria-hidden>
                    <span
                      className="block h-1 rounded-full bg-brand-500"
                      style={{ width: `${total ? Math.max(2, (g.requests / total) * 100) : 0}%` }}
                    />
                  </span>
                </Td>
                <Td className="text-right whitespace-nowrap tabular-nums">{formatCount(g.requests)}</Td>
                <Td className="text-right whitespace-nowrap tabular-nums">{formatPercent(g.errorRate)}</Td>
                <Td className="text-right whitespace-nowrap tabular-nums">{formatMs(g.latencyP95Ms)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {note && <p className="px-5 pb-4 text-xs text-slate-500 dark:text-slate-400">{note}</p>}
    </Card>
  );
}
