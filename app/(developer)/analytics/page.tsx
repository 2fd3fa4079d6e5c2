import type { Metadata } from "next";
import { AnalyticsDashboard } from "@/components/analytics/analytics-dashboard";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Analytics" };

export default async function DeveloperAnalyticsPage() {
  await requirePageActor("portal:developer");
  return (
    <>
      <PageHeader title="Analytics" description="The calls your applications make, on every API and gateway." />
      <AnalyticsDashboard
        scope="consumer"
        empty={{
          title: "No calls from your applications yet",
          body: "Subscribe an application to an API from the catalog, create an API key or a token for it, and call the API through its gateway.",
          action: <ButtonLink href="/">Browse the API catalog</ButtonLink>,
        }}
      />
    </>
  );
}
