import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { ApiListTable } from "@/components/publisher/api-list-table";
import { requirePageActor } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { LIFECYCLE_STATES, isLifecycleState } from "@/lib/domain/lifecycle";
import { listApis } from "@/lib/services/apis/list-apis";

export const metadata: Metadata = { title: "APIs" };

export default async function ApisPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string; state?: string }> }) {
  const actor = await requirePageActor("apis:read");
  const { q, page, state } = await searchParams;
  const filterState = isLifecycleState(state) ? state : undefined;
  const result = await listApis(
    { q: q?.slice(0, 200) || undefined, state: filterState, page: Math.min(Math.max(Number(page) || 1, 1), 100000), pageSize: 25 },
    { actor },
  );
  const canWrite = can(actor.roles, "apis:write");
  const filtered = !!(q || filterState);
  return (
    <>
      <PageHeader
        title="APIs"
        description={can(actor.roles, "apis:all") ? "Every API on this Meridian (you are an admin)." : "The APIs you own or co-own."}
        actions={canWrite ? <ButtonLink href="/publisher/apis/new">Create API</ButtonLink> : undefined}
      />
      <Card>
        <form className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800" role="search">
          <label htmlFor="api-search" className="sr-only">
            Search APIs
          </label>
          <input
            id="api-search"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="Search by name, context or tag"
            className="min-w-0 basis-full rounded-md border sm:max-w-sm sm:basis-auto sm:flex-1 border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
          />
          <label htmlFor="api-state" className="sr-only">
            Lifecycle state
          </label>
          <select
            id="api-state"
            name="state"
            defaultValue={filterState ?? ""}
            className="min-w-0 flex-1 rounded-md sm:flex-none border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="">Any state</option>
            {LIFECYCLE_STATES.map((s) => (
              <option key={s} value={s}>
                {s.charAt(0) + s.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
          <button
            type="submit"
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Search
          </button>
        </form>
        {result.items.length === 0 ? (
          <div className="p-4">
            {filtered ? (
              <EmptyState title="No API matches this search">Try another name, context or tag, or clear the filters.</EmptyState>
            ) : (
              <EmptyState
                title="No APIs yet"
                action={canWrite ? <ButtonLink href="/publisher/apis/new">Create your first API</ButtonLink> : undefined}
              >
                Import an OpenAPI or Swagger document, or start from scratch with a few operations.
              </EmptyState>
            )}
          </div>
        ) : (
          <ApiListTable apis={result.items} />
        )}
        {result.total > 0 && (
          <Pagination
            page={result.page}
            pageSize={result.pageSize}
            total={result.total}
            basePath="/publisher/apis"
            query={{ q, state: filterState }}
          />
        )}
      </Card>
    </>
  );
}
