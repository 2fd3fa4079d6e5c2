import { and, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import {
  apiDocuments,
  apiRevisions,
  apis,
  deployments,
  environments,
  rateLimitPolicies,
  type ApiDocumentRow,
  type ApiRevisionRow,
  type ApiRow,
  type DeploymentRow,
  type Environment,
  type RateLimitPolicy,
} from "@/lib/db/schema";
import type { PreparedDefinition } from "@/lib/domain/openapi/prepare";
import { stableJson } from "@/lib/domain/openapi/diff";
import { formatPath, resolveApiRef, type ProjectError } from "@/lib/domain/project/parse";
import type { Project, ProjectApi, ProjectTier } from "@/lib/domain/project/schema";
import { isAppError } from "@/lib/errors";
import { isOwner } from "@/lib/services/apis/access";
import { settingsSnapshot } from "@/lib/services/apis/api-dto";
import { DEFAULT_CORS, DEFAULT_SECURITY } from "@/lib/services/apis/create-api";
import { prepareOrThrow } from "@/lib/services/apis/definition-input";
import { apiSettingsSchema } from "@/lib/services/apis/schemas";
import { assertCan, type ServiceContext } from "@/lib/services/context";

/** The settings of an API as the file states them, in the shape the API services take. */
export type SettingsPatch = Record<string, unknown>;

export interface DesiredTier {
  file: ProjectTier;
  index: number;
  current: RateLimitPolicy | null;
  /** Fields that differ from Meridian's tier (all of them for a new tier). */
  changed: string[];
}

export interface DesiredDocument {
  title: string;
  kind: string;
  sourceType: "markdown" | "url";
  content: string;
  url: string | null;
  current: ApiDocumentRow | null;
  changed: boolean;
}

export interface DesiredApi {
  file: ProjectApi;
  index: number;
  key: string;
  /** The API in Meridian (same context and version), or null when the file creates it. */
  current: ApiRow | null;
  definitionText: string;
  prepared: PreparedDefinition;
  /** Normalized settings the file states. */
  settings: SettingsPatch;
  changedSettings: string[];
  definitionChanged: boolean;
  latestRevision: ApiRevisionRow | null;
  /** The revision the file asks to run: the latest when it matches, else a new one (in memory until applied). */
  needsRevision: boolean;
  targetRevision: ApiRevisionRow;
  documents: DesiredDocument[];
}

export interface DesiredDeployment {
  api: DesiredApi;
  env: Environment;
  current: DeploymentRow | null;
  needed: boolean;
  path: string;
}

export interface DesiredState {
  tiers: DesiredTier[];
  apis: DesiredApi[];
  deployments: DesiredDeployment[];
  errors: ProjectError[];
}

const TIER_FIELDS = ["displayName", "description", "unlimited", "requests", "unit", "burst", "monthlyQuota"] as const;

function tierValues(t: ProjectTier) {
  return {
    displayName: t.displayName ?? t.name,
    description: t.description ?? "",
    unlimited: t.unlimited,
    requests: t.requests ?? null,
    unit: t.unit ?? null,
    burst: t.burst ?? null,
    monthlyQuota: t.monthlyQuota ?? null,
  };
}
export { tierValues };

/** The file's API settings in the shape of the API services' input (PATCH /apis/{id}). */
export function settingsInput(api: ProjectApi): Record<string, unknown> {
  const out: Record<string, unknown> = { name: api.name, version: api.version, context: api.context };
  if (api.description !== undefined) out.description = api.description;
  if (api.tags) out.tags = api.tags;
  if (api.visibility) out.visibility = api.visibility;
  if (api.visibleRoles) out.visibleRoles = api.visibleRoles;
  if (api.endpoints)
    out.endpoints = {
      production: api.endpoints.production ?? null,
      sandbox: api.endpoints.sandbox ?? null,
      overrides: api.endpoints.overrides ?? {},
    };
  if (api.security) out.security = api.security;
  if (api.rateLimit !== undefined) out.rateLimit = api.rateLimit;
  if (api.cors) out.cors = api.cors;
  if (api.tiers) out.allowedTiers = api.tiers;
  return out;
}

const same = (a: unknown, b: unknown) => stableJson(a ?? null) === stableJson(b ?? null);

/** A revision row kept in memory: what the next revision would hold, for the plan's artifacts. */
function virtualRevision(apiId: string, number: number, row: ApiRow): ApiRevisionRow {
  return {
    id: `planned:${apiId}:${number}`,
    apiId,
    number,
    description: "",
    definition: row.definition,
    definitionSource: row.definitionSource,
    definitionFormat: row.definitionFormat,
    sourceSpec: row.sourceSpec,
    settings: settingsSnapshot(row),
    operationCount: row.operationCount,
    createdBy: null,
    createdByEmail: null,
    createdAt: new Date(),
  };
}

/**
 * Reads Meridian's state for everything the file names and works out what differs: the one
 * computation behind both plan and apply, so that an apply does exactly what its plan showed.
 * Problems (an unknown environment, an invalid definition, someone else's API) become errors
 * with the file's paths; nothing is written here.
 */
export async function desiredState(
  db: DbOrTx,
  project: Project,
  files: Record<string, string>,
  ctx: ServiceContext,
): Promise<DesiredState> {
  const actor = assertCan(ctx, "apis:write");
  const errors: ProjectError[] = [];
  const err = (path: Array<string | number>, message: string) => errors.push({ path: formatPath(path), message });

  const fileTiers = project.tiers ?? [];
  const tierRows = fileTiers.length
    ? await db
        .select()
        .from(rateLimitPolicies)
        .where(and(eq(rateLimitPolicies.kind, "subscription")))
    : [];
  const tiers: DesiredTier[] = fileTiers.map((t, index) => {
    const current = tierRows.find((r) => r.name.toLowerCase() === t.name.toLowerCase()) ?? null;
    const want = tierValues(t);
    const changed = current ? TIER_FIELDS.filter((f) => !same(current[f], want[f])) : ["created"];
    return { file: t, index, current, changed };
  });
  if (tiers.some((t) => t.changed.length)) {
    try {
      assertCan(ctx, "tiers:write");
    } catch {
      err(["tiers"], "Your role cannot create or change tiers: ask an admin, or leave tiers out of the file.");
    }
  }
  const knownTiers = new Set([
    ...fileTiers.map((t) => t.name.toLowerCase()),
    ...(await db.select({ name: rateLimitPolicies.name }).from(rateLimitPolicies).where(eq(rateLimitPolicies.kind, "subscription"))).map(
      (r) => r.name.toLowerCase(),
    ),
  ]);

  const out: DesiredApi[] = [];
  for (const [index, api] of (project.apis ?? []).entries()) {
    const path = ["apis", index];
    const parsedSettings = apiSettingsSchema.safeParse(settingsInput(api));
    if (!parsedSettings.success) {
      for (const issue of parsedSettings.error.issues) {
        const field = issue.path[0] === "allowedTiers" ? "tiers" : issue.path[0];
        err(
          [...path, ...(field !== undefined ? [field as string] : []), ...(issue.path.slice(1) as Array<string | number>)],
          issue.message,
        );
      }
      continue;
    }
    const settings = parsedSettings.data as SettingsPatch;
    for (const [i, t] of (api.tiers ?? []).entries())
      if (!knownTiers.has(t.toLowerCase())) err([...path, "tiers", i], `No subscription tier ${t} in Meridian or in this file.`);
    const [current] = await db
      .select()
      .from(apis)
      .where(and(eq(apis.context, settings.context as string), eq(apis.version, settings.version as string)))
      .limit(1);
    if (current && !isOwner(actor, current)) {
      err([...path, "context"], `${api.context} ${api.version} belongs to an API you do not own.`);
      continue;
    }
    const definitionText = files[api.definition];
    if (definitionText === undefined) {
      err([...path, "definition"], `The file ${api.definition} was not sent.`);
      continue;
    }
    let prepared: PreparedDefinition;
    try {
      prepared = await prepareOrThrow(definitionText, current?.operations ?? []);
    } catch (error) {
      if (!isAppError(error)) throw error;
      const details = (error.extra?.errors as Array<{ message: string; line?: number; place?: string }> | undefined) ?? [];
      if (details.length)
        for (const d of details.slice(0, 20))
          errors.push({
            path: `${formatPath([...path, "definition"])} (${api.definition}${d.place ? ` at ${d.place}` : ""})`,
            message: d.message,
            ...(d.line ? { line: d.line } : {}),
          });
      else err([...path, "definition"], `${api.definition}: ${error.message}`);
      continue;
    }

    const base: ApiRow =
      current ??
      ({
        id: `planned:${index}`,
        name: api.name,
        description: "",
        version: api.version,
        context: api.context,
        tags: [],
        visibility: "public",
        visibleRoles: [],
        lifecycleState: "CREATED",
        origin: "meridian",
        endpoints: { production: prepared.info.serverUrl, sandbox: null, overrides: {} },
        security: DEFAULT_SECURITY,
        rateLimit: null,
        cors: DEFAULT_CORS,
        allowedTiers: [],
        owners: [actor.id],
        definition: prepared.document,
        definitionSource: definitionText,
        definitionFormat: prepared.format,
        sourceSpec: prepared.spec,
        operations: prepared.operations,
        operationCount: prepared.operations.length,
        searchText: "",
        lastRevisionNumber: 0,
        createdBy: actor.id,
        createdAt: new Date(),
        updatedAt: new Date(),
      } as ApiRow);
    const changedSettings = current ? Object.keys(settings).filter((k) => !same((current as Record<string, unknown>)[k], settings[k])) : [];
    const definitionChanged = current ? !same(current.definition, prepared.document) : true;
    const merged: ApiRow = {
      ...base,
      ...(settings as Partial<ApiRow>),
      definition: prepared.document,
      definitionSource: definitionText,
      definitionFormat: prepared.format,
      sourceSpec: prepared.spec,
      operations: prepared.operations,
      operationCount: prepared.operations.length,
    };
    if (settings.allowedTiers)
      merged.allowedTiers = (settings.allowedTiers as string[]).map(
        (t) => fileTiers.find((f) => f.name.toLowerCase() === t.toLowerCase())?.name ?? t,
      );
    const [latestRevision] = current
      ? await db.select().from(apiRevisions).where(eq(apiRevisions.apiId, current.id)).orderBy(desc(apiRevisions.number)).limit(1)
      : [];
    const wanted = virtualRevision(current?.id ?? base.id, (current?.lastRevisionNumber ?? 0) + 1, merged);
    const needsRevision =
      !latestRevision || !same(latestRevision.definition, wanted.definition) || !same(latestRevision.settings, wanted.settings);

    const existingDocs = current ? await db.select().from(apiDocuments).where(eq(apiDocuments.apiId, current.id)) : [];
    const documents: DesiredDocument[] = (api.documents ?? []).map((d) => {
      const sourceType = d.url !== undefined ? ("url" as const) : ("markdown" as const);
      const content = d.file !== undefined ? (files[d.file] ?? "") : (d.content ?? "");
      const doc = existingDocs.find((e) => e.title === d.title) ?? null;
      const changed =
        !doc ||
        doc.kind !== d.kind ||
        doc.sourceType !== sourceType ||
        (sourceType === "markdown" ? doc.content !== content : doc.url !== d.url);
      return {
        title: d.title,
        kind: d.kind,
        sourceType,
        content: sourceType === "markdown" ? content : "",
        url: d.url ?? null,
        current: doc,
        changed,
      };
    });

    out.push({
      file: api,
      index,
      key: `${api.name}@${api.version}`,
      current,
      definitionText,
      prepared,
      settings,
      changedSettings,
      definitionChanged,
      latestRevision: latestRevision ?? null,
      needsRevision,
      targetRevision: needsRevision ? wanted : latestRevision,
      documents,
    });
  }

  const envNames = [...new Set((project.deployments ?? []).flatMap((d) => d.environments))];
  const envs = envNames.length ? await db.select().from(environments).where(inArray(environments.name, envNames)) : [];
  const apiIds = out.flatMap((a) => (a.current ? [a.current.id] : []));
  const deps = apiIds.length ? await db.select().from(deployments).where(inArray(deployments.apiId, apiIds)) : [];
  const planned: DesiredDeployment[] = [];
  for (const [i, d] of (project.deployments ?? []).entries()) {
    const [fileApi] = resolveApiRef(project.apis ?? [], d.api);
    const api = out.find((a) => a.file === fileApi);
    // An API with errors of its own has been reported already.
    if (!api) continue;
    for (const [j, name] of d.environments.entries()) {
      const env = envs.find((e) => e.name === name);
      if (!env) {
        err(["deployments", i, "environments", j], `No environment named ${name} in Meridian (environments are made in the admin portal).`);
        continue;
      }
      const current = api.current ? (deps.find((x) => x.apiId === api.current!.id && x.environmentId === env.id) ?? null) : null;
      const needed =
        api.needsRevision ||
        !current ||
        current.revisionId !== api.targetRevision.id ||
        current.status === "failed" ||
        current.status === "undeployed" ||
        current.status === "undeploying";
      planned.push({ api, env, current, needed, path: formatPath(["deployments", i, "environments", j]) });
    }
  }
  return { tiers, apis: out, deployments: planned, errors };
}
