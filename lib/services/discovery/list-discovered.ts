import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apis, discoveredApis, jobs } from "@/lib/db/schema";
import { diffTexts, stableJson, type TextDiff } from "@/lib/domain/openapi/diff";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { toJobView, type JobView } from "@/lib/services/jobs/job-view";

export interface DiscoveredApiView {
  id: string;
  externalId: string;
  name: string;
  version: string | null;
  context: string | null;
  upstreams: string[];
  state: "new" | "updated" | "unchanged" | "gone";
  contentHash: string;
  /** False when the gateway gave no OpenAPI export (an AWS REST API on no stage): nothing to import. */
  hasDefinition: boolean;
  lastSeenAt: string | null;
  goneAt: string | null;
  importedApi: { id: string; name: string; upToDate: boolean } | null;
  /** For Updated APIs: what changed since the previous listing. */
  changes: TextDiff | null;
}

/** What discovery found on an environment, with its latest discovery job. */
export async function listDiscovered(name: string, ctx: ServiceContext): Promise<{ items: DiscoveredApiView[]; lastJob: JobView | null }> {
  assertCan(ctx, "environments:read");
  const db = await getDb();
  const env = await getEnvironmentRowOrThrow(name, db);
  // The job first: a run that finished between the two reads must not show as done beside the
  // listing from before it (the page would then stop asking and keep the old list).
  const [lastJob] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.concurrencyKey, `discover:${env.id}`)))
    .orderBy(desc(jobs.createdAt))
    .limit(1);
  const rows = await db
    .select({ d: discoveredApis, apiName: apis.name })
    .from(discoveredApis)
    .leftJoin(apis, eq(apis.id, discoveredApis.importedApiId))
    .where(eq(discoveredApis.environmentId, env.id))
    .orderBy(discoveredApis.name)
    .limit(500);
  return {
    lastJob: lastJob ? toJobView(lastJob) : null,
    items: rows.map(({ d, apiName }) => ({
      id: d.id,
      externalId: d.externalId,
      name: d.name,
      version: d.version,
      context: d.context,
      upstreams: d.upstreams,
      state: d.state,
      contentHash: d.contentHash,
      hasDefinition: !!d.definition,
      lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
      goneAt: d.goneAt?.toISOString() ?? null,
      importedApi: d.importedApiId ? { id: d.importedApiId, name: apiName ?? d.name, upToDate: d.importedHash === d.contentHash } : null,
      changes:
        d.state === "updated" && d.previousDefinition && d.definition
          ? diffTexts(stableJson(d.previousDefinition), stableJson(d.definition))
          : null,
    })),
  };
}
