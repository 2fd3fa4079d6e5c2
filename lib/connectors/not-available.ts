import { AppError } from "@/lib/errors";
import type { Connector } from "./types";

/**
 * Deployment, discovery and observation arrive with the deployment engine. Until then every
 * connector says so plainly, with the 501 code clients can branch on.
 */
export function notAvailableYet(label: string): Pick<Connector, "plan" | "deploy" | "undeploy" | "discover" | "observe"> {
  const deployment = () => Promise.reject(new AppError("not_implemented", `${label} deployment is not available yet.`));
  return {
    plan: deployment,
    deploy: deployment,
    undeploy: deployment,
    observe: deployment,
    discover: () => Promise.reject(new AppError("not_implemented", `${label} discovery is not available yet.`)),
  };
}
