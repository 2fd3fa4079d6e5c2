"use client";

import { useQuery } from "@tanstack/react-query";
import type { DiscoveredApiView } from "@/lib/services/discovery/list-discovered";
import type { JobView } from "@/lib/services/jobs/job-view";

export type DiscoveryData = { items: DiscoveredApiView[]; lastJob: JobView | null };
export const discoveryQueryKey = (name: string) => ["environments", name, "discovered"] as const;
const RUNNING = new Set(["queued", "running"]);

/** Discovered APIs and the last discovery job; polled every second while a discovery runs. */
export function useDiscoveryQuery(name: string, initialData: DiscoveryData) {
  return useQuery({
    queryKey: discoveryQueryKey(name),
    queryFn: async (): Promise<DiscoveryData> => {
      const res = await fetch(`/api/v1/environments/${encodeURIComponent(name)}/discovered`, { headers: { accept: "application/json" } });
      if (!res.ok)
        throw new Error((await res.json().catch(() => null))?.detail ?? `Discovery results could not be loaded (HTTP ${res.status}).`);
      return res.json();
    },
    initialData,
    refetchInterval: (query) => (query.state.data?.lastJob && RUNNING.has(query.state.data.lastJob.status) ? 1000 : 30_000),
  });
}
