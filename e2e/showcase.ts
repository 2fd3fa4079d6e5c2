import { randomUUID } from "node:crypto";
import { ingestEvents } from "@/lib/services/analytics/ingest-events";
import { createApplication } from "@/lib/services/applications/create-application";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import type { AnalyticsEvent } from "@/lib/domain/gateway/snapshot";
import { seedDeployedApi, type SeededApi } from "./developer/support";
import { seedUser, unique, type SeededUser } from "./fixtures";

/**
 * Data for the specs that look at whole pages (accessibility, phones): one user holding every
 * role, an API of theirs published and deployed to the default environment, an application
 * subscribed to it, and traffic, so that tables, charts and figures are on screen.
 */
export interface Showcase {
  user: SeededUser;
  api: SeededApi;
  applicationId: string;
  applicationName: string;
}

/** Events as the default environment's gateway would have sent them, `count` of them for an API. */
export async function sendTraffic(
  apiId: string,
  applicationId: string | null,
  count: number,
  overrides: Partial<AnalyticsEvent> = {},
): Promise<void> {
  const env = await getEnvironmentRowOrThrow("default");
  const time = new Date(Date.now() - 2 * 60_000).toISOString();
  const events: AnalyticsEvent[] = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    time,
    environment: "default",
    instanceId: "gw-e2e",
    region: "eu-west-1",
    apiId,
    operation: "GET /hello",
    applicationId,
    keyType: "production",
    method: "GET",
    path: "/hello",
    status: i % 5 === 4 ? 500 : 200,
    latencyMs: 12 + (i % 7),
    upstreamLatencyMs: 9,
    requestBytes: 120,
    responseBytes: 640,
    ...overrides,
  }));
  await ingestEvents({ id: env.id, name: env.name }, { batchId: randomUUID(), events });
}

export async function seedShowcase(label: string): Promise<Showcase> {
  const user = await seedUser(["admin", "publisher", "subscriber"], label);
  // The gateway is never called: an unreachable upstream is enough.
  const api = await seedDeployedApi(user.ctx, "http://127.0.0.1:9", { label: "Showcase", scheme: "apiKey" });
  const applicationName = unique("showcase-app");
  const app = await createApplication({ name: applicationName }, user.ctx);
  await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, user.ctx);
  await sendTraffic(api.id, app.id, 25);
  return { user, api, applicationId: app.id, applicationName };
}
