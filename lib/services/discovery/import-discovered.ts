import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { discoveredApis } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { createApi, contextFromName } from "@/lib/services/apis/create-api";
import { updateDefinition } from "@/lib/services/apis/update-definition";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";

/**
 * Makes a discovered API a Meridian API with origin `discovered:<environment>`, or, when it was
 * imported before, brings that API's document up to date: never a duplicate.
 */
export async function importDiscovered(
  environmentName: string,
  discoveredId: string,
  ctx: ServiceContext,
): Promise<{ apiId: string; created: boolean }> {
  assertCan(ctx, "apis:write");
  const db = await getDb();
  const env = await getEnvironmentRowOrThrow(environmentName, db);
  const [row] = await db
    .select()
    .from(discoveredApis)
    .where(and(eq(discoveredApis.id, discoveredId), eq(discoveredApis.environmentId, env.id)))
    .limit(1);
  if (!row) throw new AppError("not_found", "No such discovered API.");
  if (row.state === "gone") throw new AppError("conflict", `${row.name} is gone from ${env.displayName}: there is nothing to import.`);
  if (!row.definition) throw new AppError("conflict", `${env.displayName} gave no OpenAPI document for ${row.name}.`);
  const text = JSON.stringify(row.definition);
  let apiId = row.importedApiId;
  let created = false;
  if (apiId) {
    await updateDefinition(apiId, text, ctx);
  } else {
    const api = await createApi(
      {
        definition: text,
        name: row.name,
        ...(row.version ? { version: row.version.replace(/\s+/g, "-").slice(0, 40) } : {}),
        context: row.context && row.context !== "/" ? row.context : contextFromName(`${row.name}-${env.name}`),
        ...(row.upstreams[0] ? { endpoints: { production: row.upstreams[0], sandbox: null, overrides: {} } } : {}),
        security: { scheme: "none", apiKeyHeader: "apikey" },
        description: `Discovered on ${env.displayName}.`,
      },
      ctx,
      { origin: `discovered:${env.name}` },
    );
    apiId = api.id;
    created = true;
  }
  await db.update(discoveredApis).set({ importedApiId: apiId, importedHash: row.contentHash }).where(eq(discoveredApis.id, row.id));
  return { apiId, created };
}
