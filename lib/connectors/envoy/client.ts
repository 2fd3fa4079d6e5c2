import { httpRequest, type HttpResponse } from "../http";
import type { EnvoyConfig } from "./descriptor";

export const GATEWAY_API = "/apis/gateway.networking.k8s.io/v1";

/** A thin Kubernetes API client: bearer token and the cluster's CA on every request. */
export function kubernetesClient(config: EnvoyConfig, signal: AbortSignal) {
  const get = (path: string): Promise<HttpResponse> =>
    httpRequest(`${config.apiServerUrl}${path}`, {
      headers: { authorization: `Bearer ${config.bearerToken}` },
      ca: config.caCertificate,
      signal,
    });
  return {
    getGateway: () =>
      get(`${GATEWAY_API}/namespaces/${encodeURIComponent(config.namespace)}/gateways/${encodeURIComponent(config.gatewayName)}`),
  };
}
