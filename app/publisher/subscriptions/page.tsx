import type { Metadata } from "next";
import { SubscriptionApprovals } from "@/components/shared/subscription-approvals";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { requirePageActor } from "@/lib/auth/guards";
import { listSubscriptionApprovals, SUBSCRIPTION_STATUSES } from "@/lib/services/subscriptions/list-subscriptions";

export const metadata: Metadata = { title: "Subscriptions" };

type Status = (typeof SUBSCRIPTION_STATUSES)[number];

export default async function PublisherSubscriptionsPage({ searchParams }: { searchParams: Promise<{ status?: string; page?: string }> }) {
  const actor = await requirePageActor("subscriptions:approve");
  const sp = await searchParams;
  const status: Status = (SUBSCRIPTION_STATUSES as readonly string[]).includes(sp.status ?? "") ? (sp.status as Status) : "pending";
  const page = Math.min(Math.max(Number(sp.page) || 1, 1), 100000);
  const result = await listSubscriptionApprovals({ status, page }, { actor });
  return (
    <>
      <PageHeader
        title="Subscriptions"
        description="Subscriptions to the APIs you own. Approve or reject the ones that wait; block a subscription to have gateways refuse its calls."
      />
      <SubscriptionApprovals items={result.items} status={status} basePath="/publisher/subscriptions" apiHrefBase="/publisher/apis/" />
      {result.total > result.pageSize && (
        <Pagination
          page={result.page}
          pageSize={result.pageSize}
          total={result.total}
          basePath="/publisher/subscriptions"
          query={{ status }}
        />
      )}
    </>
  );
}
