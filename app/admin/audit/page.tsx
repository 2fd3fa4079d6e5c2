import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td, Th } from "@/components/ui/table";
import { requirePageActor } from "@/lib/auth/guards";
import { listAudit } from "@/lib/services/audit/list-audit";
import { formatDateTime } from "@/lib/domain/datetime";

export const metadata: Metadata = { title: "Audit log" };

type Filters = { actor?: string; objectType?: string; objectId?: string; action?: string; from?: string; to?: string; page?: string };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Filters> }) {
  const actor = await requirePageActor("audit:read");
  const f = await searchParams;
  const clean = (v?: string) => (v && v.trim() ? v.trim() : undefined);
  const result = await listAudit(
    {
      actor: clean(f.actor),
      objectType: clean(f.objectType),
      objectId: clean(f.objectId),
      action: clean(f.action),
      from: clean(f.from) ? new Date(f.from!) : undefined,
      to: clean(f.to) ? new Date(f.to!) : undefined,
      page: Number(f.page) || 1,
      pageSize: 50,
    },
    { actor },
  );
  const { page: _page, ...query } = f;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, who made it and when. Entries are written in the same transaction as the change."
      />
      <Card>
        <form
          className="grid gap-3 border-b border-slate-200 p-4 sm:grid-cols-2 lg:grid-cols-4 dark:border-slate-800"
          aria-label="Filter audit entries"
        >
          <Input name="actor" placeholder="Actor email" defaultValue={f.actor} aria-label="Actor" />
          <Input name="action" placeholder="Action, e.g. user." defaultValue={f.action} aria-label="Action" />
          <Input name="objectType" placeholder="Object type" defaultValue={f.objectType} aria-label="Object type" />
          <Input name="objectId" placeholder="Object id" defaultValue={f.objectId} aria-label="Object id" />
          <Input name="from" type="datetime-local" defaultValue={f.from} aria-label="From" title="From" />
          <Input name="to" type="datetime-local" defaultValue={f.to} aria-label="To" title="To" />
          <div className="flex gap-2 lg:col-span-2">
            <Button type="submit" variant="secondary">
              Filter
            </Button>
            <a href="/admin/audit" className="self-center text-sm text-slate-600 dark:text-slate-400 hover:underline">
              Clear
            </a>
          </div>
        </form>
        {result.items.length === 0 ? (
          <div className="p-4">
            <EmptyState title="No entries match">Widen the time range or clear a filter.</EmptyState>
          </div>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Time</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Object</Th>
                <Th>Details</Th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((e) => (
                <tr key={e.id}>
                  <Td className="text-xs whitespace-nowrap">{formatDateTime(e.at, { seconds: true })}</Td>
                  <Td>{e.actorEmail ?? "anonymous"}</Td>
                  <Td className="font-mono text-xs">{e.action}</Td>
                  <Td className="font-mono text-xs">
                    {e.objectType}
                    {e.objectId ? `:${e.objectId}` : ""}
                  </Td>
                  <Td className="max-w-md truncate font-mono text-xs" title={JSON.stringify(e.details)}>
                    {Object.keys(e.details).length ? JSON.stringify(e.details) : ""}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <Pagination page={result.page} pageSize={result.pageSize} total={result.total} basePath="/admin/audit" query={query} />
      </Card>
    </>
  );
}
