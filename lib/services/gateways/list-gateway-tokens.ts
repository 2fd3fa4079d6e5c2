import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { gatewayInstances, gatewayTokens } from "@/lib/db/schema";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { getEnvironmentRowOrThrow, INSTANCE_RETENTION_MS } from "@/lib/services/environments/get-environment";
import { isInstanceHealthy } from "@/lib/services/environments/health";
import { MAX_GATEWAY_TOKENS } from "./gateway-token";

export interface GatewayTokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  createdBy: string | null;
  /** Instances whose last heartbeat (within the retention window) came with this token. */
  instances: { instanceId: string; region: string; status: "healthy" | "stale"; lastSeenAt: string }[];
}

export interface GatewayTokenList {
  environment: string;
  items: GatewayTokenView[];
}

/** The named gateway tokens of an environment, oldest first, each with the instances using it. */
export async function listGatewayTokens(environment: string, ctx: ServiceContext, now = new Date()): Promise<GatewayTokenList> {
  assertCan(ctx, "environments:write");
  const env = await getEnvironmentRowOrThrow(environment);
  const db = await getDb();
  const tokens = await db
    .select()
    .from(gatewayTokens)
    .where(eq(gatewayTokens.environmentId, env.id))
    .orderBy(asc(gatewayTokens.createdAt), asc(gatewayTokens.name))
    .limit(MAX_GATEWAY_TOKENS);
  const ids = tokens.map((t) => t.id);
  const instances = ids.length
    ? await db
        .select()
        .from(gatewayInstances)
        .where(
          and(inArray(gatewayInstances.tokenId, ids), gt(gatewayInstances.lastSeenAt, new Date(now.getTime() - INSTANCE_RETENTION_MS))),
        )
        .orderBy(desc(gatewayInstances.lastSeenAt))
        .limit(1000)
    : [];
  return {
    environment: env.name,
    items: tokens.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      createdAt: t.createdAt.toISOString(),
      createdBy: t.createdBy,
      instances: instances
        .filter((i) => i.tokenId === t.id)
        .map((i) => ({
          instanceId: i.instanceId,
          region: i.region,
          status: isInstanceHealthy(i.lastSeenAt, now) ? "healthy" : "stale",
          lastSeenAt: i.lastSeenAt.toISOString(),
        })),
    })),
  };
}
