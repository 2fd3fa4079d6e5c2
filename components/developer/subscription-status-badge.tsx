import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { SubscriptionStatus } from "@/lib/db/schema";

const LABELS: Record<SubscriptionStatus, { label: string; tone: BadgeTone }> = {
  active: { label: "Active", tone: "green" },
  pending: { label: "Pending approval", tone: "amber" },
  blocked: { label: "Blocked", tone: "red" },
  rejected: { label: "Rejected", tone: "neutral" },
};

export function SubscriptionStatusBadge({ status }: { status: SubscriptionStatus }) {
  const { label, tone } = LABELS[status];
  return <Badge tone={tone}>{label}</Badge>;
}
