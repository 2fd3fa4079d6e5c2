import { SectionTabs, type SectionTab } from "@/components/ui/section-tabs";

const TABS: SectionTab[] = [
  { segment: "", label: "Overview" },
  { segment: "/reference", label: "Reference" },
  { segment: "/try", label: "Try it" },
  { segment: "/documents", label: "Documents" },
];

/** The sections of an API's page in the catalog. */
export function ApiTabs({ apiId }: { apiId: string }) {
  return <SectionTabs base={`/apis/${apiId}`} tabs={TABS} label="API sections" />;
}
