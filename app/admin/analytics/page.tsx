import type { Metadata } from "next";
import { AnalyticsDashboard } from "@/components/analytics/analytics-dashboard";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guards";
import { listAnalyticsFilterOptions } from "@/lib/services/analytics/list-analytics-filter-options";

export const metadata: Metadata = { title: "Analytics" };

export default async function AdminAnalyticsPage() {
  const actor = await requirePageActor("analytics:all");
  const filterOptions = await listAnalyticsFilterOptions({ scope: "all" }, { actor });
  return (
    <>
      <PageHeader title="Analytics" description="Traffic across every gateway environment, API and application." />
      <AnalyticsDashboard
        scope="all"
        filterOptions={filterOptions}
        empty={{
          title: "No traffic yet",
          body: "Deploy an API to a gateway environment (the built-in default gateway works out of the box) and send requests through it. Gateways ship their events within seconds.",
          action: <ButtonLink href="/admin/environments">View environments</ButtonLink>,
        }}
      />
    </>
  );
}
