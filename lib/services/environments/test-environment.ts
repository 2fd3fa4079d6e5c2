import { and, eq, gt, max, sql, count } from "drizzle-orm";
import { GATEWAY_STALE_AFTER_MS } from "@/lib/connectors/heartbeat";
import { getConnector } from "@/lib/connectors/registry";
import type { ConnectionTestResult, Connector, ConnectorConfig, TestConnectionContext } from "@/lib/connectors/types";
import { getDb } from "@/lib/db/client";
import { environments, gatewayInstances, type Environment } from "@/lib/db/schema";
import { logger } from "@/lib/log";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { decryptConfig } from "./config-secrets";
import { getEnvironmentRowOrThrow, INSTANCE_RETENTION_MS } from "./get-environment";

export const CONNECTION_TEST_TIMEOUT_MS = 10_000;

export interface ConnectionTestView {
  ok: boolean;
  message: string;
  /** Field errors, with paths as in the environment's input (config.<field>). */
  errors: Array<{ path: string; message: string }>;
  testedAt: string;
  durationMs: number;
}

async function heartbeatOf(environmentId: string, now: Date): Promise<TestConnectionContext["heartbeat"]> {
  const db = await getDb();
  const healthySince = new Date(now.getTime() - GATEWAY_STALE_AFTER_MS);
  const [row] = await db
    .select({
      lastSeenAt: max(gatewayInstances.lastSeenAt),
      total: count(),
      healthy: sql<number>`count(*) filter (where ${gatewayInstances.lastSeenAt} >= ${healthySince.toISOString()})`.mapWith(Number),
    })
    .from(gatewayInstances)
    .where(
      and(
        eq(gatewayInstances.environmentId, environmentId),
        gt(gatewayInstances.lastSeenAt, new Date(now.getTime() - INSTANCE_RETENTION_MS)),
      ),
    );
  return { lastSeenAt: row?.lastSeenAt ?? null, healthyInstances: row?.healthy ?? 0, totalInstances: row?.total ?? 0 };
}

/**
 * Runs a connector's test under a hard time limit. The signal asks the connector to stop; the
 * race answers even if a connector ignores it. A connector that throws is reported, not rethrown.
 */
export async function runConnectionTest(
  connector: Connector,
  config: ConnectorConfig,
  heartbeat: TestConnectionContext["heartbeat"],
  timeoutMs = CONNECTION_TEST_TIMEOUT_MS,
): Promise<ConnectionTestResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ConnectionTestResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({
        ok: false,
        message: `No answer within ${Math.round(timeoutMs / 1000)} s: the gateway or its API is unreachable or too slow.`,
      });
    }, timeoutMs);
  });
  const test = connector
    .testConnection(config, { signal: controller.signal, heartbeat, now: new Date() })
    .catch((error: unknown): ConnectionTestResult => {
      logger.warn({ err: error, type: connector.descriptor.type }, "connection test failed unexpectedly");
      return { ok: false, message: "The connection test failed unexpectedly; the server log has details." };
    });
  try {
    return await Promise.race([test, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Tests an environment's saved connection and records the outcome as its health. */
export async function testEnvironment(name: string, ctx: ServiceContext): Promise<ConnectionTestView> {
  assertCan(ctx, "environments:write");
  const row: Environment = await getEnvironmentRowOrThrow(name);
  const connector = getConnector(row.type);
  const started = new Date();
  const heartbeat =
    connector.descriptor.capabilities.delivery === "pull"
      ? await heartbeatOf(row.id, started)
      : { lastSeenAt: null, healthyInstances: 0, totalInstances: 0 };
  const result = await runConnectionTest(connector, decryptConfig(connector.descriptor, row.config), heartbeat);
  const durationMs = Date.now() - started.getTime();
  const db = await getDb();
  // A test is not an edit: updatedAt keeps saying when the settings last changed.
  await db
    .update(environments)
    .set({ lastTestAt: started, lastTestOk: result.ok, lastTestMessage: result.message.slice(0, 1000), updatedAt: row.updatedAt })
    .where(eq(environments.id, row.id));
  return {
    ok: result.ok,
    message: result.message,
    errors: Object.entries(result.fieldErrors ?? {}).map(([path, message]) => ({ path: `config.${path}`, message })),
    testedAt: started.toISOString(),
    durationMs,
  };
}
