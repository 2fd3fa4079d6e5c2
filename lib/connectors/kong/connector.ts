import { jsonBody, networkFailure } from "../http";
import { notAvailableYet } from "../not-available";
import { failure } from "../results";
import type { Connector } from "../types";
import { kongClient } from "./client";
import { kongConfigSchema, kongDescriptor } from "./descriptor";

export const kongConnector: Connector = {
  descriptor: kongDescriptor,

  /** GET /status with the admin token, then one workspace-scoped read. */
  async testConnection(raw, ctx) {
    const config = kongConfigSchema.parse(raw);
    const kong = kongClient(config, ctx.signal);
    try {
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

  ...notAvailableYet("Kong"),
};
