import { jsonBody, networkFailure } from "../http";
import { failure } from "../results";
import type { Connector } from "../types";
import { kongClient } from "./client";
import { deployToKong, planForKong } from "./deploy";
import { kongConfigSchema, kongDescriptor, kongMode } from "./descriptor";
import { discoverOnKong, observeOnKong } from "./discover";
import { provisionKeyOnKong, revokeKeyOnKong } from "./keys";
import { readLiveKong } from "./live";
import { undeployFromKong } from "./undeploy";

export const kongConnector: Connector = {
  descriptor: kongDescriptor,

  /** GET /status with the admin token, then one workspace-scoped read. */
  async testConnection(raw, ctx) {
    const config = kongConfigSchema.parse(raw);
    const kong = kongClient(config, ctx.signal);
    try {
      if (kongMode(config) === "konnect") {
        const cp = await kong.status();
        if (cp.status === 401 || cp.status === 403) return failure("adminToken", "Konnect refused the access token.");
        if (cp.status === 404) return failure("controlPlaneId", `Konnect has no control plane ${config.controlPlaneId} in this region.`);
        if (cp.status !== 200) return failure("adminUrl", `${config.adminUrl} answered HTTP ${cp.status}: is this Konnect's API?`);
        const services = await kong.firstService();
        if (services.status !== 200)
          return failure(
            undefined,
            `Konnect answered HTTP ${services.status} when listing services: ${kong.messageOf(services) ?? "no details"}.`,
          );
        const name = jsonBody(cp)?.name;
        return { ok: true, message: `Connected to Konnect control plane ${typeof name === "string" ? name : config.controlPlaneId}.` };
      }
      const status = await kong.status();
      if (status.status === 401 || status.status === 403) {
        return failure("adminToken", config.adminToken ? "Kong refused the admin token." : "The Admin API requires an admin token.");
      }
      if (status.status !== 200)
        return failure("adminUrl", `${config.adminUrl}/status answered HTTP ${status.status}: is this Kong's Admin API?`);
      const body = jsonBody(status) as { database?: { reachable?: boolean }; server?: unknown } | undefined;
      // Anything but Kong's status document means the URL points somewhere else.
      if (!body || !("server" in body || "database" in body))
        return failure("adminUrl", `${config.adminUrl} does not answer like Kong's Admin API.`);
      if (body.database && body.database.reachable === false)
        return failure(undefined, "Kong answers, but its own database is unreachable.");

      const services = await kong.firstService();
      if (services.status === 404 && config.workspace) return failure("workspace", `Kong has no workspace named ${config.workspace}.`);
      if (services.status === 401 || services.status === 403) {
        return failure(
          config.workspace ? "workspace" : "adminToken",
          `The admin token may not read services${config.workspace ? ` in workspace ${config.workspace}` : ""}.`,
        );
      }
      if (services.status !== 200)
        return failure(
          undefined,
          `Kong answered HTTP ${services.status} when listing services: ${kong.messageOf(services) ?? "no details"}.`,
        );
      return { ok: true, message: `Connected to Kong at ${config.adminUrl}${config.workspace ? `, workspace ${config.workspace}` : ""}.` };
    } catch (error) {
      return failure(
        "adminUrl",
        `Could not reach ${config.adminUrl}: ${networkFailure(error) ?? (error instanceof Error ? error.message : "unknown error")}.`,
      );
    }
  },

  /** The declarative configuration (Kong's 3.0 file format) a deploy writes, refusals and notes. */
  async plan(input) {
    return planForKong(input);
  },

  deploy: deployToKong,
  undeploy: undeployFromKong,
  discover: discoverOnKong,
  observe: observeOnKong,
  readLive: (config, ref, options) => readLiveKong(config, ref, options?.signal),
  provisionKey: provisionKeyOnKong,
  revokeKey: revokeKeyOnKong,
};
