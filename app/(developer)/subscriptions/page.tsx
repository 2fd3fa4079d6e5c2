import type { Metadata } from "next";
import { SubscriptionsTable } from "@/components/developer/application-subscriptions";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { requirePageActor } from "@/lib/auth/guards";
import { listSubscriptions } from "@/lib/services/subscriptions/list-subscriptions";

export const metadata: Metadata = { title: "Subscriptions" };

export default async function SubscriptionsPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const actor = await requirePageActor("subscriptions:write");
  const page = Math.min(Math.max(Number((await searchParams).page) || 1, 1), 100000);
  const result = await listSubscriptions({ page, pageSize: 50 }, { actor });
  return (
    <>
      <PageHeader
        title="Subscriptions"
        description="Every subscription of your applications. Pending ones wait for the API's publisher; blocked ones are refused by gateways."
      />
      <SubscriptionsTable subscriptions={result.items} showApplication title="Your subscriptions" />
      {result.total > result.pageSize && (
        <Pagination page={result.page} pageSize={result.pageSize} total={result.total} basePath="/subscriptions" />
      )}
    </>
  );
}
