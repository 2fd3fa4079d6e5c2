import type { Metadata } from "next";
import { AnalyticsDashboard } from "@/components/analytics/analytics-dashboard";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Analytics" };

export default async function PublisherAnalyticsPage() {
  await requirePageActor("apis:read");
  return (
    <>
      <PageHeader title="Analytics" description="Traffic to the APIs you own, from every gateway they are deployed to." />
      <AnalyticsDashboard
        scope="publisher"
        empty={{
          title: "No traffic to your APIs yet",
          body: "Deploy one of your APIs to a gateway environment and send requests through that gateway; they show here within seconds.",
          action: <ButtonLink href="/publisher/apis">Go to your APIs</ButtonLink>,
        }}
      />
    </>
  );
}
