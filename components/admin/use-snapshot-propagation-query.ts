"use client";

import { useQuery } from "@tanstack/react-query";
import type { SnapshotPropagation } from "@/lib/services/gateways/snapshot-propagation";

export const snapshotPropagationQueryKey = (name: string) => ["environments", name, "propagation"] as const;

/** Which version the environment's gateways serve, refreshed every 10 s (the heartbeat interval). */
export function useSnapshotPropagationQuery(name: string, initialData: SnapshotPropagation) {
  return useQuery({
    queryKey: snapshotPropagationQueryKey(name),
    queryFn: async (): Promise<SnapshotPropagation> => {
      const res = await fetch(`/api/v1/environments/${encodeURIComponent(name)}/propagation`, { headers: { accept: "application/json" } });
      if (!res.ok)
        throw new Error((await res.json().catch(() => null))?.detail ?? `The propagation could not be loaded (HTTP ${res.status}).`);
      return res.json();
    },
    initialData,
    refetchInterval: 10_000,
  });
}
