"use client";

import { useQuery } from "@tanstack/react-query";
import type { DeploymentView } from "@/lib/services/deployments/list-deployments";

export const deploymentsQueryKey = (apiId: string) => ["apis", apiId, "deployments"] as const;
export const IN_PROGRESS = new Set(["pending", "deploying", "undeploying"]);

/** The API's deployments; polled every second while any is in progress, so that steps show live. */
export function useDeploymentsQuery(apiId: string, initialData: DeploymentView[]) {
  return useQuery({
    queryKey: deploymentsQueryKey(apiId),
    queryFn: async (): Promise<DeploymentView[]> => {
      const res = await fetch(`/api/v1/apis/${encodeURIComponent(apiId)}/deployments`, { headers: { accept: "application/json" } });
      if (!res.ok)
        throw new Error((await res.json().catch(() => null))?.detail ?? `The deployments could not be loaded (HTTP ${res.status}).`);
      return (await res.json()).items;
    },
    initialData,
    refetchInterval: (query) => (query.state.data?.some((d) => IN_PROGRESS.has(d.status)) ? 1000 : 15_000),
  });
}
