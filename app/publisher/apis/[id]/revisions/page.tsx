import type { Metadata } from "next";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { RevisionDiff } from "@/components/publisher/revision-diff";
import { RevisionsPanel } from "@/components/publisher/revisions-panel";
import { requirePageActor } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { compareRevisions, WORKING_COPY, type RevisionComparison } from "@/lib/services/apis/compare-revisions";
import { listRevisions } from "@/lib/services/apis/list-revisions";
import { loadApiForPage } from "../load-api";

export const metadata: Metadata = { title: "API revisions" };

const SELECT = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

export default async function RevisionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ from?: string; to?: string }>;
}) {
  const actor = await requirePageActor("apis:read");
  const { id } = await params;
  const { from, to } = await searchParams;
  const api = await loadApiForPage(id, actor);
  const { items, maxRevisions } = await listRevisions(api.id, { actor });
  let comparison: RevisionComparison | null = null;
  let compareError: string | null = null;
  if (from) {
    try {
      comparison = await compareRevisions(api.id, from.slice(0, 64), (to || WORKING_COPY).slice(0, 64), { actor });
    } catch (error) {
      if (!isAppError(error)) throw error;
      compareError = error.message;
    }
  }
  const options = [...items.map((r) => ({ value: r.id, label: `Revision ${r.number}` })), { value: WORKING_COPY, label: "Working copy" }];
  return (
    <div className="space-y-6">
      <RevisionsPanel apiId={api.id} revisions={items} maxRevisions={maxRevisions} canWrite={can(actor.roles, "apis:write")} />
      {items.length > 0 && (
        <Card>
          <CardHeader
            title="Compare"
            description="Two revisions, or a revision and the working copy: the settings that differ and the document's changes."
          />
          <CardBody>
            <form className="flex flex-wrap items-end gap-3" method="get" aria-label="Compare revisions">
              <label className="space-y-1 text-sm">
                <span className="block font-medium">From</span>
                <select name="from" defaultValue={from ?? items[items.length > 1 ? 1 : 0].id} className={SELECT}>
                  {options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="space-y-1 text-sm">
                <span className="block font-medium">To</span>
                <select name="to" defaultValue={to ?? (items.length > 1 ? items[0].id : WORKING_COPY)} className={SELECT}>
                  {options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="h-9 rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
                Compare
              </button>
            </form>
            <div className="mt-3">
              <FormError message={compareError} />
            </div>
          </CardBody>
        </Card>
      )}
      {comparison && <RevisionDiff comparison={comparison} />}
    </div>
  );
}
