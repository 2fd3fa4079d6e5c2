import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td, Th } from "@/components/ui/table";
import { MethodBadge } from "@/components/publisher/method-badge";
import { OperationPolicyEditor } from "@/components/publisher/operation-policy-editor";
import { requirePageActor } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { listOperations } from "@/lib/services/apis/list-operations";
import { loadApiForPage } from "../load-api";

export const metadata: Metadata = { title: "API operations" };

const PAGE_SIZE = 50;

export default async function OperationsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ q?: string; page?: string }>;
}) {
  const actor = await requirePageActor("apis:read");
  const { id } = await params;
  const { q, page } = await searchParams;
  const api = await loadApiForPage(id, actor);
  const result = await listOperations(
    api.id,
    { q: q?.slice(0, 200) || undefined, page: Math.min(Math.max(Number(page) || 1, 1), 100000), pageSize: PAGE_SIZE },
    { actor },
  );
  const canWrite = can(actor.roles, "apis:write");
  return (
    <Card>
      <form className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800" role="search">
        <label htmlFor="op-search" className="sr-only">
          Search operations
        </label>
        <input
          id="op-search"
          name="q"
          type="search"
          defaultValue={q}
          placeholder="Search by path, operation id, summary or method"
          className="w-full max-w-md rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <span className="ml-auto text-xs text-slate-600 dark:text-slate-400">
          Edit the document on the Definition tab; security, OAuth2 scopes and rate limits per operation are set here.
        </span>
      </form>
      {result.items.length === 0 ? (
        <div className="p-4">
          <EmptyState title={q ? "No operation matches this search" : "This API has no operations yet"}>
            {q ? "Try another path or operation id." : "Add paths in the definition editor."}
          </EmptyState>
        </div>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Operation</Th>
              <Th>Summary</Th>
              <Th className="text-right">Security · scopes · rate limit</Th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((op) => (
              <tr key={`${op.method} ${op.path}`} data-testid={`operation-${op.method}-${op.path}`}>
                <Td>
                  <div className="flex items-center gap-2">
                    <MethodBadge method={op.method} />
                    <span className={op.deprecated ? "font-mono text-xs line-through" : "font-mono text-xs"}>{op.path}</span>
                  </div>
                  {op.operationId && <div className="mt-1 ml-[4.5rem] text-xs text-slate-600 dark:text-slate-400">{op.operationId}</div>}
                </Td>
                <Td className="text-sm">
                  {op.summary ?? <span className="text-slate-500 dark:text-slate-400">—</span>}
                  {op.documentSecurity.length > 0 && (
                    <div className="text-xs text-slate-600 dark:text-slate-400">document security: {op.documentSecurity.join(", ")}</div>
                  )}
                </Td>
                <Td>
                  <OperationPolicyEditor
                    apiId={api.id}
                    operation={op}
                    apiScheme={api.security.scheme}
                    apiLimit={api.rateLimit}
                    canWrite={canWrite}
                  />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {result.total > 0 && (
        <Pagination
          page={result.page}
          pageSize={result.pageSize}
          total={result.total}
          basePath={`/publisher/apis/${api.id}/operations`}
          query={{ q }}
        />
      )}
    </Card>
  );
}
