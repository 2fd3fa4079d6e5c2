import { networkFailure } from "../http";
import { failure } from "../results";
import { ConnectorError, type ConnectionTestResult } from "../types";
import type { AzureConfig } from "./descriptor";

type AzureError = {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  errorResponse?: { error?: string; errorDescription?: string };
};

export type AzurePhase = "token" | "management";

/** Maps Entra ID and Resource Manager failures onto the field they point at. */
export function describeAzureFailure(error: unknown, config: AzureConfig, phase: AzurePhase): ConnectionTestResult {
  const e = (error ?? {}) as AzureError;
  const network = networkFailure(error);
  if (network) {
    if (phase === "token")
      return failure(
        config.authorityHost ? "authorityHost" : "tenantId",
        `Could not reach Microsoft Entra ID${config.authorityHost ? ` at ${config.authorityHost}` : ""}: ${network}.`,
      );
    return failure(
      config.endpoint ? "endpoint" : undefined,
      `Could not reach Azure Resource Manager${config.endpoint ? ` at ${config.endpoint}` : ""}: ${network}.`,
    );
  }
  if (phase === "token") {
    const text = `${e.errorResponse?.error ?? ""} ${e.errorResponse?.errorDescription ?? ""} ${e.message ?? ""}`;
    if (/AADSTS7000215|AADSTS7000222|invalid_client/.test(text))
      return failure("clientSecret", "Microsoft Entra ID refused the client secret: it is wrong or has expired.");
    if (/AADSTS700016|unauthorized_client/.test(text))
      return failure("clientId", "No application with this client id exists in the tenant.");
    if (/AADSTS90002|AADSTS900023|AADSTS90013|invalid_tenant|tenant/i.test(text))
      return failure("tenantId", "Microsoft Entra ID does not know this tenant.");
    return failure(
      "clientSecret",
      `Microsoft Entra ID refused the sign-in: ${(e.errorResponse?.errorDescription ?? e.message ?? "no details").split("\n")[0].slice(0, 300)}`,
    );
  }
  const code = e.code ?? "";
  if (code === "SubscriptionNotFound" || code === "InvalidSubscriptionId")
    return failure("subscriptionId", "This subscription does not exist or the service principal cannot see it.");
  if (code === "ResourceGroupNotFound")
    return failure("resourceGroup", `The resource group ${config.resourceGroup} does not exist in this subscription.`);
  if (code === "ResourceNotFound" || e.statusCode === 404)
    return failure("serviceName", `No API Management service named ${config.serviceName} in ${config.resourceGroup}.`);
  if (code === "AuthorizationFailed" || e.statusCode === 403) {
    return failure(
      "clientId",
      "The service principal signed in but may not read the API Management service: grant it the API Management Service Contributor role (or Reader to test).",
    );
  }
  if (code === "InvalidAuthenticationToken" || code === "InvalidAuthenticationTokenTenant" || e.statusCode === 401) {
    return failure("tenantId", "Resource Manager refused the token: the tenant does not own this subscription.");
  }
  if (e.statusCode === 429) return failure(undefined, "Azure is throttling requests. Try again in a minute.");
  return failure(
    undefined,
    `Azure Resource Manager refused the call${e.statusCode ? ` (HTTP ${e.statusCode})` : ""}: ${(e.message ?? "no details").split("\n")[0].slice(0, 300)}`,
  );
}

type RestLike = AzureError & {
  details?: { code?: string; message?: string; details?: Array<{ target?: string; message?: string }>; error?: { message?: string } };
};

/**
 * A Resource Manager or Entra ID failure as a ConnectorError: throttling, 5xx and timeouts are
 * retryable; a 400 carries Azure's own message (a refused policy says what is wrong with it).
 */
export function toConnectorError(error: unknown, doing: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const e = (error ?? {}) as RestLike;
  const network = networkFailure(error);
  if (network) {
    const timeout = network.includes("time");
    return new ConnectorError(timeout ? "timeout" : "unavailable", `Azure did not answer while ${doing}: ${network}.`);
  }
  // Sign-in failures surface through the SDK's bearer-token policy under several names.
  if (e.errorResponse || /Authentication|Credential/.test(e.name ?? "") || /AADSTS\d+/.test(e.message ?? "")) {
    return new ConnectorError(
      "unauthorized",
      `Microsoft Entra ID refused the sign-in while ${doing}: ${(e.errorResponse?.errorDescription ?? e.message ?? "no details").split("\n")[0].trim().slice(0, 300)}`,
      false,
      401,
    );
  }
  const status = e.statusCode;
  const details = (e.details?.details ?? []).map((d) => (d.target ? `${d.target}: ${d.message}` : d.message)).filter(Boolean);
  const text = [e.details?.message ?? e.message ?? "no details", ...details].join(" ").split("\n")[0].slice(0, 500);
  const said = `Azure answered ${status ?? "an error"}${e.code ? ` ${e.code}` : ""} while ${doing}: ${text}`;
  if (status === 429) return new ConnectorError("throttled", said, true, status);
  if (status !== undefined && status >= 500) return new ConnectorError("unavailable", said, true, status);
  if (status === 404) return new ConnectorError("not_found", said, false, status);
  if (status === 401) return new ConnectorError("unauthorized", said, false, status);
  if (status === 403) return new ConnectorError("forbidden", said, false, status);
  if (status === 409 || status === 412) return new ConnectorError("conflict", said, false, status);
  if (status === 408) return new ConnectorError("timeout", said, true, status);
  return new ConnectorError("invalid", said, false, status);
}

export const isNotFound = (error: unknown) => (error as AzureError | undefined)?.statusCode === 404;
