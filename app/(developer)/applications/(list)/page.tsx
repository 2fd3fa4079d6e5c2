import type { Metadata } from "next";
import Link from "next/link";
import { CreateApplicationForm } from "@/components/developer/create-application-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { requirePageActor } from "@/lib/auth/guards";
import { listApplications } from "@/lib/services/applications/list-applications";
import { listTiers } from "@/lib/services/tiers/list-tiers";
import { formatDate } from "@/lib/domain/datetime";

export const metadata: Metadata = { title: "Applications" };

/** Only paths inside the catalog: never an open redirect. */
function safeReturnTo(value: string | undefined): string | undefined {
  return value && /^\/apis\/[A-Za-z0-9_]+$/.test(value) ? value : undefined;
}

export default async function ApplicationsPage({ searchParams }: { searchParams: Promise<{ returnTo?: string }> }) {
  const actor = await requirePageActor("applications:write");
  const returnTo = safeReturnTo((await searchParams).returnTo);
  const [apps, policies] = await Promise.all([listApplications({ pageSize: 100 }, { actor }), listTiers("application", { actor })]);
  return (
    <>
      <PageHeader title="Applications" description="Your applications: their OAuth2 credentials, API keys and subscriptions." />
      <div className="space-y-6">
        <CreateApplicationForm
          policies={policies.map((p) => ({ name: p.name, displayName: p.displayName, summary: p.summary }))}
          returnTo={returnTo}
        />
        <Card>
          <CardHeader title="Your applications" />
          {apps.items.length === 0 ? (
            <div className="p-4">
              <EmptyState title="No applications yet">Create one above, then subscribe it to APIs from the catalog.</EmptyState>
            </div>
          ) : (
            <Table>
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>Credentials</Th>
                  <Th className="text-right">Subscriptions</Th>
                  <Th>Policy</Th>
                  <Th>Created</Th>
                </tr>
              </thead>
              <tbody>
                {apps.items.map((a) => (
                  <tr key={a.id}>
                    <Td>
                      <Link href={`/applications/${a.id}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                        {a.name}
                      </Link>
                      {a.description && (
                        <div className="mt-0.5 line-clamp-1 text-xs text-slate-600 dark:text-slate-400">{a.description}</div>
                      )}
                    </Td>
                    <Td className="space-x-1">
                      {a.keyTypes.length === 0 ? (
                        <span className="text-xs text-slate-600 dark:text-slate-400">None yet</span>
                      ) : (
                        a.keyTypes.map((k) => <Badge key={k}>{k}</Badge>)
                      )}
                    </Td>
                    <Td className="text-right tabular-nums">{a.subscriptionCount}</Td>
                    <Td className="text-xs">{a.policy ?? "—"}</Td>
                    <Td className="text-xs whitespace-nowrap text-slate-600 dark:text-slate-400">{formatDate(a.createdAt)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
