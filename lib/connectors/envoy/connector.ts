import { jsonBody, networkFailure } from "../http";
import { failure } from "../results";
import type { Connector } from "../types";
import { kubernetesClient } from "./client";
import { syncClientsOnEnvoy } from "./clients";
import { deployToEnvoy } from "./deploy";
import { envoyConfigSchema, envoyDescriptor } from "./descriptor";
import { discoverOnEnvoy, observeOnEnvoy } from "./discover";
import { provisionKeyOnEnvoy, revokeKeyOnEnvoy } from "./keys";
import { readLiveEnvoy } from "./live";
import { undeployFromEnvoy } from "./remove";
import { planOf, translate } from "./translate";

type K8sStatus = { kind?: string; reason?: string; message?: string; details?: { kind?: string } };
type Gateway = { kind?: string; status?: { conditions?: Array<{ type?: string; status?: string; message?: string }> } };

const TLS_CAUSE = /TLS|certificate|PEM|OSSL/i;

export const envoyConnector: Connector = {
  descriptor: envoyDescriptor,

  /** Reads the named Gateway: proves the URL, the CA, the token, the namespace and the Gateway. */
  async testConnection(raw, ctx) {
    const config = envoyConfigSchema.parse(raw);
    const where = `${config.namespace}/${config.gatewayName}`;
    try {
      const res = await kubernetesClient(config, ctx.signal).getGateway();
      const body = jsonBody(res);
      if (res.status === 401) return failure("bearerToken", "The Kubernetes API refused the bearer token.");
      if (res.status === 403)
        return failure(
          "bearerToken",
          `The token may not read Gateways in namespace ${config.namespace}: grant it get on gateways.gateway.networking.k8s.io.`,
        );
      if (res.status === 404) {
        const status = body as K8sStatus | undefined;
        if (status?.kind === "Status" && status.details?.kind === "gateways")
          return failure("gatewayName", `No Gateway named ${config.gatewayName} in namespace ${config.namespace}.`);
        return failure(
          "apiServerUrl",
          "The cluster does not serve the Gateway API (gateway.networking.k8s.io/v1): install Envoy Gateway, or check the URL.",
        );
      }
      if (res.status !== 200 || (body as Gateway | undefined)?.kind !== "Gateway") {
        return failure(
          "apiServerUrl",
          `${config.apiServerUrl} answered HTTP ${res.status}${(body as K8sStatus | undefined)?.message ? `: ${(body as K8sStatus).message}` : ""}; is this a Kubernetes API server?`,
        );
      }
      const programmed = (body as Gateway).status?.conditions?.find((c) => c.type === "Programmed");
      if (programmed && programmed.status !== "True") {
        return { ok: true, message: `Found Gateway ${where}, but it is not programmed yet: ${programmed.message ?? "no reason given"}.` };
      }
      return { ok: true, message: `Found Gateway ${where}${programmed ? ", programmed" : ""}.` };
    } catch (error) {
      const cause = networkFailure(error) ?? (error instanceof Error ? error.message : "unknown error");
      if (TLS_CAUSE.test(cause))
        return failure("caCertificate", `The API server's certificate is not trusted (${cause}): paste the cluster's CA certificate.`);
      return failure("apiServerUrl", `Could not reach ${config.apiServerUrl}: ${cause}.`);
    }
  },

  /** The exact multi-document YAML a deploy applies, and refusals for what Envoy Gateway cannot enforce. */
  async plan(input) {
    return planOf(translate(input, envoyConfigSchema.parse(input.config)));
  },

  deploy: deployToEnvoy,
  undeploy: undeployFromEnvoy,
  discover: discoverOnEnvoy,
  observe: observeOnEnvoy,
  readLive: (config, ref, options) => readLiveEnvoy(config, ref, options?.signal),
  provisionKey: provisionKeyOnEnvoy,
  revokeKey: revokeKeyOnEnvoy,
  syncClients: syncClientsOnEnvoy,
};
