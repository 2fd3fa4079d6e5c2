import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { TierForm } from "@/components/admin/tier-form";
import { TiersTable } from "@/components/admin/tiers-table";
import { requirePageActor } from "@/lib/auth/guards";
import { KIND_LABELS, listTiers } from "@/lib/services/tiers/list-tiers";
import { POLICY_KINDS, policyKindSchema } from "@/lib/services/tiers/schemas";

export const metadata: Metadata = { title: "Tiers & policies" };

const KIND_HELP = {
  subscription: "Chosen per subscription: each application × API pair gets its own allowance. APIs list the tiers they allow.",
  application: "One allowance per application, across all the APIs it calls.",
  api: "One allowance per API, across all its callers: protects the backend.",
} as const;

const TAB_LABELS = { subscription: "Subscription tiers", application: "Application policies", api: "API policies" } as const;

export default async function TiersPage({ searchParams }: { searchParams: Promise<{ kind?: string }> }) {
  const actor = await requirePageActor("tiers:write");
  const parsed = policyKindSchema.safeParse((await searchParams).kind ?? "subscription");
  const kind = parsed.success ? parsed.data : "subscription";
  const tiers = await listTiers(kind, { actor });
  return (
    <>
      <PageHeader title="Tiers & policies" description="Rate limits and quotas that every gateway enforces, each in its own way." />
      <nav aria-label="Kinds" className="mb-4 flex gap-1 border-b border-slate-200 dark:border-slate-800">
        {POLICY_KINDS.map((k) => (
          <Link
            key={k}
            href={`/admin/tiers?kind=${k}`}
            aria-current={k === kind ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
              k === kind
                ? "border-brand-600 text-brand-700 dark:text-brand-100"
                : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400",
            )}
          >
            {TAB_LABELS[k]}
          </Link>
        ))}
      </nav>
      <div className="space-y-6">
        <Card>
          <CardHeader title={TAB_LABELS[kind]} description={KIND_HELP[kind]} />
          {tiers.length === 0 ? (
            <CardBody>
              <EmptyState title={`No ${TAB_LABELS[kind].toLowerCase()} yet`}>Add one below.</EmptyState>
            </CardBody>
          ) : (
            <TiersTable kind={kind} tiers={tiers} />
          )}
        </Card>
        <Card>
          <CardHeader title={`Add a ${KIND_LABELS[kind].toLowerCase()}`} />
          <CardBody>
            <TierForm kind={kind} kindLabel={KIND_LABELS[kind]} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
