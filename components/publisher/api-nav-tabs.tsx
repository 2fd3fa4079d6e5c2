import { SectionTabs, type SectionTab } from "@/components/ui/section-tabs";

const TABS: SectionTab[] = [
  { segment: "", label: "Overview & settings" },
  { segment: "/definition", label: "Definition" },
  { segment: "/operations", label: "Operations" },
  { segment: "/lifecycle", label: "Lifecycle" },
  { segment: "/revisions", label: "Revisions" },
  { segment: "/deployments", label: "Deployments" },
  { segment: "/documents", label: "Documents" },
];

/** The sections of an API's page in the publisher portal. */
export function ApiNavTabs({ apiId }: { apiId: string }) {
  return <SectionTabs base={`/publisher/apis/${apiId}`} tabs={TABS} label="API sections" />;
}
