"use client";

import { useQuery } from "@tanstack/react-query";
import type { GatewayInstances } from "@/lib/services/gateways/list-instances";

export const gatewayInstancesQueryKey = (name: string) => ["environments", name, "instances"] as const;

/** The environment's gateway instances, refreshed every 10 s so that stale ones show up. */
export function useGatewayInstancesQuery(name: string, initialData: GatewayInstances) {
  return useQuery({
    queryKey: gatewayInstancesQueryKey(name),
    queryFn: async (): Promise<GatewayInstances> => {
      const res = await fetch(`/api/v1/environments/${encodeURIComponent(name)}/instances`, { headers: { accept: "application/json" } });
      if (!res.ok)
        throw new Error((await res.json().catch(() => null))?.detail ?? `The instances could not be loaded (HTTP ${res.status}).`);
      return res.json();
    },
    initialData,
    refetchInterval: 10_000,
  });
}
