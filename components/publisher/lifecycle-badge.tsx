import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { LifecycleState } from "@/lib/domain/lifecycle";

const TONES: Record<LifecycleState, BadgeTone> = {
  CREATED: "neutral",
  PROTOTYPED: "brand",
  PUBLISHED: "green",
  BLOCKED: "red",
  DEPRECATED: "amber",
  RETIRED: "neutral",
};

export function LifecycleBadge({ state }: { state: LifecycleState }) {
  return <Badge tone={TONES[state]}>{state.charAt(0) + state.slice(1).toLowerCase()}</Badge>;
}
