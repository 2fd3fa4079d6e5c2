import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { cn } from "@/components/ui/cn";
import type { RevisionComparison } from "@/lib/services/apis/compare-revisions";

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value || "—";
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ") : "—";
  return JSON.stringify(value);
}

const LINE_STYLE = {
  added: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  removed: "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200",
  context: "text-slate-700 dark:text-slate-300",
  skipped: "bg-slate-50 text-slate-600 dark:text-slate-400 italic dark:bg-slate-800/60",
} as const;
const PREFIX = { added: "+", removed: "-", context: " ", skipped: "⋯" } as const;

/** Settings that differ, then the document's line diff with unchanged runs folded. */
export function RevisionDiff({ comparison }: { comparison: RevisionComparison }) {
  const { from, to, definition, settings } = comparison;
  return (
    <div className="space-y-6" data-testid="revision-diff">
      <Card>
        <CardHeader
          title={`Settings: ${from.label} → ${to.label}`}
          description={
            settings.length ? `${settings.length} setting${settings.length === 1 ? "" : "s"} differ.` : "The settings are the same."
          }
        />
        {settings.length > 0 && (
          <Table aria-label="Settings changes">
            <thead>
              <tr>
                <Th>Setting</Th>
                <Th>{from.label}</Th>
                <Th>{to.label}</Th>
              </tr>
            </thead>
            <tbody>
              {settings.map((c) => (
                <tr key={c.field}>
                  <Td className="font-mono text-xs">{c.field}</Td>
                  <Td className="text-xs break-all text-red-700 dark:text-red-300">{show(c.before)}</Td>
                  <Td className="text-xs break-all text-emerald-700 dark:text-emerald-300">{show(c.after)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <Card>
        <CardHeader
          title={`Definition: ${from.label} → ${to.label}`}
          description={
            definition.added + definition.removed === 0
              ? "The documents are the same."
              : `${definition.added} line${definition.added === 1 ? "" : "s"} added, ${definition.removed} removed.${definition.truncated ? " Shown in part: the change is too large to list whole." : ""}`
          }
        />
        {definition.added + definition.removed > 0 && (
          <CardBody className="p-0">
            <pre className="max-h-[70vh] overflow-auto text-xs leading-5" aria-label="Definition diff">
              {definition.lines.map((line, i) => (
                <div key={i} className={cn("px-4 whitespace-pre", LINE_STYLE[line.kind])}>
                  <span aria-hidden className="mr-3 inline-block w-3 select-none">
                    {PREFIX[line.kind]}
                  </span>
                  <span className="sr-only">{line.kind === "added" ? "added: " : line.kind === "removed" ? "removed: " : ""}</span>
                  {line.text}
                </div>
              ))}
            </pre>
          </CardBody>
        )}
      </Card>
    </div>
  );
}
