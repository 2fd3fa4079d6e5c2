import type { Metadata } from "next";
import { AnalyticsDashboard } from "@/components/analytics/analytics-dashboard";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guards";
import { listAnalyticsFilterOptions } from "@/lib/services/analytics/list-analytics-filter-options";

export const metadata: Metadata = { title: "Analytics" };

export default async function DeveloperAnalyticsPage() {
  const actor = await requirePageActor("portal:developer");
  const filterOptions = await listAnalyticsFilterOptions({ scope: "consumer" }, { actor });
  return (
    <>
      <PageHeader title="Analytics" description="The calls your applications make, on every API and gateway." />
      <AnalyticsDashboard
        scope="consumer"
        filterOptions={filterOptions}
        empty={{
          title: "No calls from your applications yet",
          body: "Subscribe an application to an API from the catalog, create an API key or a token for it, and call the API through its gateway.",
          action: <ButtonLink href="/">Browse the API catalog</ButtonLink>,
        }}
      />
    </>
  );
}
