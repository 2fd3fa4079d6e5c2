import type { Metadata } from "next";
import { AnalyticsDashboard } from "@/components/analytics/analytics-dashboard";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guards";
import { listAnalyticsFilterOptions } from "@/lib/services/analytics/list-analytics-filter-options";

export const metadata: Metadata = { title: "Analytics" };

export default async function PublisherAnalyticsPage() {
  const actor = await requirePageActor("apis:read");
  const filterOptions = await listAnalyticsFilterOptions({ scope: "publisher" }, { actor });
  return (
    <>
      <PageHeader title="Analytics" description="Traffic to the APIs you own, from every gateway they are deployed to." />
      <AnalyticsDashboard
        scope="publisher"
        filterOptions={filterOptions}
        empty={{
          title: "No traffic to your APIs yet",
          body: "Deploy one of your APIs to a gateway environment and send requests through that gateway; they show here within seconds.",
          action: <ButtonLink href="/publisher/apis">Go to your APIs</ButtonLink>,
        }}
      />
    </>
  );
}
