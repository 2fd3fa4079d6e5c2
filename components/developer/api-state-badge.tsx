import { Badge } from "@/components/ui/badge";
import type { LifecycleState } from "@/lib/domain/lifecycle";

/** Consumers only need to know when an API is not simply published. */
export function ApiStateBadge({ state }: { state: LifecycleState }) {
  if (state === "DEPRECATED") return <Badge tone="amber">Deprecated</Badge>;
  if (state === "PROTOTYPED") return <Badge tone="brand">Prototype</Badge>;
  return null;
}
