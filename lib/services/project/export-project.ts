import { and, asc, eq, inArray, notInArray } from "drizzle-orm";
import { stringify } from "yaml";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { apiDocuments, apis, deployments, environments, rateLimitPolicies, type ApiRow } from "@/lib/db/schema";
import { PROJECT_API_VERSION, type Project } from "@/lib/domain/project/schema";
import { AppError } from "@/lib/errors";
import { canSeeAllApis } from "@/lib/services/apis/access";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";

export const MAX_EXPORTED_APIS = 100;

export const exportProjectSchema = z.object({
  /** `name@version` of each API to export; none exports every API the caller owns (at most 100). */
  api: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().trim().min(1).max(200)).max(MAX_EXPORTED_APIS)),
});

export interface ExportedProject {
  /** The project file's text (meridian.yaml). */
  project: string;
  /** The files it names, by their path in it: definitions as uploaded, Markdown documents. */
  files: Record<string, string>;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "api";

/**
 * The current state of chosen APIs as a project file and the files it names: what `apply`
 * takes back without a change (the working copy, its documents, the tiers it offers, and the
 * environments it is deployed to).
 */
export async function exportProject(input: unknown, ctx: ServiceContext): Promise<ExportedProject> {
  const actor = assertCan(ctx, "apis:read");
  const { api: wanted } = parseInput(exportProjectSchema, input);
  const db = await getDb();
  // The small columns to choose, then the documents of the chosen ones only.
  const metas = await db
    .select({ id: apis.id, name: apis.name, version: apis.version, owners: apis.owners })
    .from(apis)
    .where(eq(apis.origin, "meridian"))
    .orderBy(asc(apis.name), asc(apis.version))
    .limit(5000);
  const visible = metas.filter((r) => canSeeAllApis(actor) || r.owners.includes(actor.id));
  const picked = wanted.length ? visible.filter((r) => wanted.includes(`${r.name}@${r.version}`) || wanted.includes(r.id)) : visible;
  const missing = wanted.filter((w) => !picked.some((r) => `${r.name}@${r.version}` === w || r.id === w));
  if (missing.length) throw new AppError("not_found", `No such API, or it is not yours: ${missing.join(", ")}.`);
  if (picked.length > MAX_EXPORTED_APIS)
    throw new AppError("validation_failed", `Export at most ${MAX_EXPORTED_APIS} APIs at once: name them with api=name@version.`);
  const chosen: ApiRow[] = picked.length
    ? await db
        .select()
        .from(apis)
        .where(
          inArray(
            apis.id,
            picked.map((p) => p.id),
          ),
        )
        .orderBy(asc(apis.name), asc(apis.version))
    : [];

  const files: Record<string, string> = {};
  const ids = chosen.map((r) => r.id);
  const docs = ids.length ? await db.select().from(apiDocuments).where(inArray(apiDocuments.apiId, ids)) : [];
  const deps = ids.length
    ? await db
        .select({ apiId: deployments.apiId, env: environments.name })
        .from(deployments)
        .innerJoin(environments, eq(environments.id, deployments.environmentId))
        .where(and(inArray(deployments.apiId, ids), notInArray(deployments.status, ["undeployed", "undeploying"])))
    : [];
  const tierNames = new Set(chosen.flatMap((r) => r.allowedTiers));
  const tierRows = tierNames.size
    ? await db
        .select()
        .from(rateLimitPolicies)
        .where(and(eq(rateLimitPolicies.kind, "subscription"), inArray(rateLimitPolicies.name, [...tierNames])))
    : [];

  const project: Project = { apiVersion: PROJECT_API_VERSION };
  if (tierRows.length)
    project.tiers = tierRows.map((t) => ({
      name: t.name,
      displayName: t.displayName,
      ...(t.description ? { description: t.description } : {}),
      unlimited: t.unlimited,
      ...(t.unlimited ? {} : { requests: t.requests, unit: t.unit as "minute", burst: t.burst, monthlyQuota: t.monthlyQuota }),
    }));
  project.apis = chosen.map((r) => {
    const base = `${slug(r.name)}-${slug(r.version)}`;
    const definition = `definitions/${base}.${r.definitionFormat === "json" ? "json" : "yaml"}`;
    files[definition] = r.definitionSource;
    const documents = docs
      .filter((d) => d.apiId === r.id)
      .map((d) => {
        if (d.sourceType === "url") return { title: d.title, kind: d.kind, url: d.url! };
        const file = `docs/${base}/${slug(d.title)}.md`;
        files[file] = d.content;
        return { title: d.title, kind: d.kind, file };
      });
    return {
      name: r.name,
      version: r.version,
      context: r.context,
      definition,
      description: r.description,
      tags: r.tags,
      visibility: r.visibility,
      visibleRoles: r.visibleRoles,
      endpoints: r.endpoints,
      security: r.security,
      rateLimit: r.rateLimit,
      cors: r.cors,
      tiers: r.allowedTiers,
      ...(documents.length ? { documents } : {}),
    };
  });
  const deployed = chosen
    .map((r) => ({
      api: `${r.name}@${r.version}`,
      environments: deps
        .filter((d) => d.apiId === r.id)
        .map((d) => d.env)
        .sort(),
    }))
    .filter((d) => d.environments.length);
  if (deployed.length) project.deployments = deployed;
  return { project: stringify(project, { lineWidth: 0 }), files };
}
