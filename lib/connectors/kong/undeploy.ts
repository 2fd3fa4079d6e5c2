import type { ConnectorConfig, DeploymentRef, UndeployOptions } from "../types";
import { kongClient } from "./client";
import { kongConfigSchema } from "./descriptor";
import { apiTag } from "./entities";
import { releaseCredentials } from "./keys";
import { kongWriter, refId } from "./writer";

/**
 * Removes everything tagged with the API: consumer limits and ACL entries of its subscribers,
 * plugins, routes and the service; credentials other APIs still use only lose the API's tag.
 * What is already gone counts as removed, so undeploying twice succeeds twice.
 */
export async function undeployFromKong(raw: ConnectorConfig, ref: DeploymentRef, options: UndeployOptions = {}): Promise<void> {
  const config = kongConfigSchema.parse(raw);
  const w = kongWriter(kongClient(config, options.signal));
  const apiId = apiIdOf(ref);
  const tag = apiTag(apiId);
  const plugins = await w.list("plugins", tag);
  for (const p of plugins.filter((p) => refId(p.consumer))) await w.del("plugins", p);
  for (const a of await w.list("acls", tag)) await w.del("acls", a);
  await releaseCredentials(w, apiId);
  await options.onStep?.("Subscribers", "limits, ACL entries and credentials released");
  for (const p of plugins.filter((p) => !refId(p.consumer))) await w.del("plugins", p);
  for (const r of await w.list("routes", tag)) await w.del("routes", r);
  for (const s of await w.list("services", tag)) await w.del("services", s);
  await w.commit();
  await options.onStep?.("Service removed", ref.ids.serviceName ?? ref.ids.serviceId);
}

/** The API a deployment belongs to, from the service name Meridian gave it (`meridian.<apiId>`). */
export function apiIdOf(ref: DeploymentRef): string {
  return ref.ids.apiId ?? (ref.ids.serviceName ?? "").replace(/^meridian\./, "");
}
