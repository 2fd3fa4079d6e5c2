import { eq } from "drizzle-orm";
import { getConnector, getDescriptor } from "@/lib/connectors/registry";
import { getDb } from "@/lib/db/client";
import { discoveredApis, environments } from "@/lib/db/schema";
import { reconcileDiscovery } from "@/lib/domain/discovery/reconcile";
import { newId } from "@/lib/id";
import type { JobHandler } from "@/lib/jobs/runner";
import { decryptConfig } from "@/lib/services/environments/config-secrets";

/** Lists every API on the gateway and records each as New, Updated, Unchanged or Gone. */
export const discoverJobHandler: JobHandler = {
  async run(ctx) {
    const { environmentId } = ctx.job.payload as { environmentId: string };
    const db = await getDb();
    const [env] = await db.select().from(environments).where(eq(environments.id, environmentId)).limit(1);
    if (!env) return { skipped: "environment gone" };
    await ctx.step("Listing APIs", `on ${env.displayName}`);
    const listing = await getConnector(env.type).discover(decryptConfig(getDescriptor(env.type), env.config), { signal: ctx.signal });
    await ctx.step("Listed", `${listing.length} API${listing.length === 1 ? "" : "s"}`);
    const counts = { new: 0, updated: 0, unchanged: 0, gone: 0, total: listing.length };
    await ctx.complete(async (tx) => {
      const known = await tx.select().from(discoveredApis).where(eq(discoveredApis.environmentId, env.id)).for("update");
      const now = new Date();
      for (const change of reconcileDiscovery(known, listing)) {
        counts[change.kind]++;
        if (change.kind === "gone") {
          const row = known.find((k) => k.externalId === change.known.externalId)!;
          await tx
            .update(discoveredApis)
            .set({ state: "gone", goneAt: row.goneAt ?? now, lastJobId: ctx.job.id })
            .where(eq(discoveredApis.id, row.id));
          continue;
        }
        const l = change.listed;
        const fields = {
          name: l.name.slice(0, 300),
          version: l.version ?? null,
          context: l.context ?? null,
          definition: l.definition ?? null,
          upstreams: (l.upstreams ?? []).slice(0, 50),
          contentHash: l.contentHash,
          lastSeenAt: now,
          goneAt: null,
          lastJobId: ctx.job.id,
        };
        if (change.kind === "new") {
          await tx
            .insert(discoveredApis)
            .values({ id: newId("dsc"), environmentId: env.id, externalId: l.externalId, state: "new", ...fields });
        } else {
          const row = known.find((k) => k.externalId === change.known.externalId)!;
          await tx
            .update(discoveredApis)
            .set({ ...fields, state: change.kind, ...(change.kind === "updated" ? { previousDefinition: row.definition } : {}) })
            .where(eq(discoveredApis.id, row.id));
        }
      }
    }, counts);
    return counts;
  },
};
