import { getDescriptor } from "@/lib/connectors/registry";
import type { Environment } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";

/** Gateway tokens are prefixed so that secret scanners and logs can tell them apart. */
export const GATEWAY_TOKEN_PREFIX = "mgw_";
/** Characters kept in clear to tell tokens apart in the portal. */
export const GATEWAY_TOKEN_SHOWN_CHARS = GATEWAY_TOKEN_PREFIX.length + 6;

/** Only gateways that pull from Meridian authenticate with a gateway token. */
export function assertPullGateway(row: Environment): void {
  const descriptor = getDescriptor(row.type);
  if (descriptor.capabilities.delivery !== "pull") {
    throw new AppError("conflict", `${descriptor.label} environments are reached by Meridian with their connection settings; they have no gateway token.`);
  }
}
