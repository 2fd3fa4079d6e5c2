import { ConnectorError, type DeploymentInput, type DeploymentRef } from "../types";
import { kongClient } from "./client";
import { declarativeConfig } from "./declarative";
import { kongConfigSchema, kongMode } from "./descriptor";
import { apiTag, kongName } from "./entities";
import { hashOf, ownedEntities, type OwnedEntities } from "./owned";
import { translateToKong, type KongTranslation } from "./translate";
import { assertOwned, kongWriter, refId, type Entity, type EntityType, type KongWriter } from "./writer";

/**
 * Writes one revision to Kong: the API's service, its routes and their plugins, every one with a
 * name-based id so that a retry rewrites the same entities. A route Kong does not know yet is
 * first written unreachable (a host no request carries), its plugins next, and only then its
 * real paths: no request ever reaches a route before its security. DB-less, everything goes in
 * one /config post. On failure a first deploy removes what it wrote and a redeploy puts the
 * previous entities back.
 */

const TIER_TAG = "meridian-tier:";
/** The rate-limiting config of the tier a subscriber's plugin was tagged with (tags carry Kong-safe names). */
const tierLimitByTag = (t: KongTranslation, tag: string) => Object.entries(t.tierLimits).find(([name]) => kongName(name) === tag)?.[1];

/** A host no client sends (RFC 2606): a route staged with it is unreachable. */
const STAGING_HOST = "meridian-staging.invalid";

export const invokeUrlOf = (publicUrls: string[], basePath: string) =>
  publicUrls.length ? `${publicUrls[0].replace(/\/+$/, "")}${basePath}` : undefined;

export function refOf(input: DeploymentInput, t: KongTranslation, mode: string, hash: string): DeploymentRef {
  const ids: Record<string, string> = { apiId: input.api.id, serviceId: t.service.id, serviceName: t.service.name, mode };
  for (const [tier, config] of Object.entries(t.tierLimits)) ids[`tier:${tier}`] = JSON.stringify(config);
  if (t.usesJwt) ids.security = "jwt";
  else if (t.usesApiKeys) ids.security = "key-auth";
  const invokeUrl = invokeUrlOf(input.environment.publicUrls, t.basePath);
  return {
    type: "kong",
    version: 1,
    ids,
    ...(invokeUrl ? { invokeUrl } : {}),
    contentHash: hash,
    revisionNumber: input.revision.number,
  };
}

export async function deployToKong(input: DeploymentInput, _previousRef?: DeploymentRef): Promise<DeploymentRef> {
  const t = translateToKong(input);
  if (t.refusals.length)
    throw new ConnectorError("unsupported", `Kong cannot enforce: ${t.refusals.map((r) => `${r.feature} (${r.reason})`).join("; ")}`);
  const config = kongConfigSchema.parse(input.config);
  const kong = kongClient(config, input.signal);
  const w = kongWriter(kong);
  const step = async (name: string, detail?: string) => input.onStep?.(name, detail);

  const before = await ownedEntities(w, input.api.id);
  const firstDeploy = before.services.length === 0;
  // Same id or same name, not tagged as Meridian's: somebody else's, never touched.
  assertOwned(await w.get("services", t.service.id), `a service with Meridian's id for ${input.api.name}`);
  if (firstDeploy) assertOwned(await w.get("services", t.service.name), `a service named ${t.service.name}`);

  const put = async (type: EntityType, entity: Entity) => {
    await w.put(type, entity);
  };
  try {
    // A first deploy's service starts disabled: Kong serves none of its routes until the end.
    await put("services", { ...t.service, ...(w.immediate && firstDeploy ? { enabled: false } : { enabled: true }) });
    await step("Service", `${t.service.name} → ${input.endpoint}`);
    const knownRoutes = new Set(before.routes.map((r) => r.id));
    // Each phase's writes are independent of one another: a few at a time, phases in order.
    if (w.immediate)
      await inParallel(
        t.routes.filter((r) => !knownRoutes.has(r.id)),
        (r) => put("routes", { ...r, hosts: [STAGING_HOST] } as unknown as Entity),
      );
    await inParallel(t.plugins, (p) => put("plugins", p as unknown as Entity));
    await inParallel(t.routes, (r) => put("routes", { ...r, hosts: null } as unknown as Entity));
    await step("Routes", `${t.routes.length} route(s) under ${t.basePath}`);
    // Subscribers' tier limits follow the revision's tiers: a changed limit is rewritten, a tier no longer limited loses its plugin.
    if (!firstDeploy) {
      const tierPlugins = (await w.list("plugins", apiTag(input.api.id))).filter((p) => refId(p.consumer));
      await inParallel(tierPlugins, async (p) => {
        const tier = p.tags?.find((tag) => tag.startsWith(TIER_TAG))?.slice(TIER_TAG.length);
        const config = tier ? tierLimitByTag(t, tier) : undefined;
        if (!config) return w.del("plugins", p);
        // Not undone by a failed redeploy's rollback: the next successful deploy writes them again.
        if (JSON.stringify(p.config) !== JSON.stringify(config)) await w.put("plugins", { ...p, config });
      });
    }
    // What the previous revision had and this one has not.
    const wanted = new Set([...t.routes.map((r) => r.id), ...t.plugins.map((p) => p.id)]);
    await inParallel(
      before.plugins.filter((p) => !wanted.has(p.id)),
      (p) => w.del("plugins", p),
    );
    await inParallel(
      before.routes.filter((r) => !wanted.has(r.id)),
      (r) => w.del("routes", r),
    );
    if (w.immediate && firstDeploy) await w.put("services", { ...t.service, enabled: true } as unknown as Entity);
    await w.commit();
    await step("Plugins", `${t.plugins.length} plugin(s): ${[...new Set(t.plugins.map((p) => p.name))].join(", ")}`);
    if (kongMode(config) === "dbless") await step("Declarative configuration", "posted to /config");
    // The hash of what Kong holds now, as observe computes it: drift shows as a different hash.
    const after = await ownedEntities(kongWriter(kong), input.api.id);
    return refOf(input, t, kongMode(config), hashOf(after.services, after.routes, after.plugins));
  } catch (error) {
    const failure =
      error instanceof ConnectorError ? error : new ConnectorError("unavailable", error instanceof Error ? error.message : String(error));
    // DB-less: nothing was applied. Otherwise undo, newest first.
    if (w.immediate) {
      const leftovers = await rollback(w, input.api.id, before, firstDeploy);
      if (leftovers.length) failure.message += ` Clean-up left behind: ${leftovers.join(", ")}.`;
    }
    throw failure;
  }
}

/** Admin API writes at once per phase: enough to hide round trips, few enough not to trip Kong's own limits. */
const WRITE_CONCURRENCY = 6;

/** Runs `run` over `items`, a few at a time; the first failure is thrown once the others in flight have settled. */
async function inParallel<T>(items: T[], run: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++];
      try {
        await run(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

/** Puts Kong back as it was: a first deploy's entities removed, a redeploy's previous ones restored. */
async function rollback(w: KongWriter, apiId: string, before: OwnedEntities, firstDeploy: boolean): Promise<string[]> {
  const leftovers: string[] = [];
  const attempt = async (what: string, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch {
      leftovers.push(what);
    }
  };
  let now: OwnedEntities;
  try {
    now = await ownedEntities(w, apiId);
  } catch {
    return ["every entity of the API (Kong could not be read)"];
  }
  const had = new Set([...before.routes, ...before.plugins].map((e) => e.id));
  for (const p of now.plugins) if (!had.has(p.id)) await attempt(`plugin ${p.id}`, () => w.del("plugins", p));
  for (const r of now.routes) if (!had.has(r.id)) await attempt(`route ${String(r.name)}`, () => w.del("routes", r));
  if (firstDeploy) {
    for (const s of now.services) await attempt(`service ${String(s.name)}`, () => w.del("services", s));
    return leftovers;
  }
  for (const s of before.services) await attempt(`service ${String(s.name)}`, () => w.put("services", s));
  for (const r of before.routes) await attempt(`route ${String(r.name)}`, () => w.put("routes", r));
  for (const p of before.plugins) await attempt(`plugin ${p.id}`, () => w.put("plugins", p));
  return leftovers;
}

/** The plan: the declarative file, refusals and notes; nothing is written. */
export function planForKong(input: DeploymentInput) {
  const t = translateToKong(input);
  return {
    artifacts: [
      {
        kind: "declarative-config",
        name: `${input.api.name} ${input.api.version} (decK file)`,
        format: "json" as const,
        content: declarativeConfig(t),
      },
    ],
    refusals: t.refusals,
    notes: t.notes,
  };
}
