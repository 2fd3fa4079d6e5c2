import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { EnvironmentHealth, HealthStatus } from "@/lib/services/environments/health";

const TONE: Record<HealthStatus, BadgeTone> = { healthy: "green", degraded: "amber", down: "red", unknown: "neutral" };

export function HealthBadge({ health }: { health: EnvironmentHealth }) {
  return (
    <span className="flex flex-col items-start gap-1">
      <Badge tone={TONE[health.status]}>{health.status}</Badge>
      <span className="max-w-xs text-xs text-slate-600 dark:text-slate-400">{health.detail}</span>
    </span>
  );
}
