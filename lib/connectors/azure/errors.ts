import { networkFailure } from "../http";
import { failure } from "../results";
import type { ConnectionTestResult } from "../types";
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
    if (phase === "token") return failure(config.authorityHost ? "authorityHost" : "tenantId", `Could not reach Microsoft Entra ID${config.authorityHost ? ` at ${config.authorityHost}` : ""}: ${network}.`);
    return failure(config.endpoint ? "endpoint" : undefined, `Could not reach Azure Resource Manager${config.endpoint ? ` at ${config.endpoint}` : ""}: ${network}.`);
  }
  if (phase === "token") {
    const text = `${e.errorResponse?.error ?? ""} ${e.errorResponse?.errorDescription ?? ""} ${e.message ?? ""}`;
    if (/AADSTS7000215|AADSTS7000222|invalid_client/.test(text)) return failure("clientSecret", "Microsoft Entra ID refused the client secret: it is wrong or has expired.");
    if (/AADSTS700016|unauthorized_client/.test(text)) return failure("clientId", "No application with this client id exists in the tenant.");
    if (/AADSTS90002|AADSTS900023|AADSTS90013|invalid_tenant|tenant/i.test(text)) return failure("tenantId", "Microsoft Entra ID does not know this tenant.");
    return failure("clientSecret", `Microsoft Entra ID refused the sign-in: ${(e.errorResponse?.errorDescription ?? e.message ?? "no details").split("\n")[0].slice(0, 300)}`);
  }
  const code = e.code ?? "";
  if (code === "SubscriptionNotFound" || code === "InvalidSubscriptionId") return failure("subscriptionId", "This subscription does not exist or the service principal cannot see it.");
  if (code === "ResourceGroupNotFound") return failure("resourceGroup", `The resource group ${config.resourceGroup} does not exist in this subscription.`);
  if (code === "ResourceNotFound" || e.statusCode === 404) return failure("serviceName", `No API Management service named ${config.serviceName} in ${config.resourceGroup}.`);
  if (code === "AuthorizationFailed" || e.statusCode === 403) {
    return failure("clientId", "The service principal signed in but may not read the API Management service: grant it the API Management Service Contributor role (or Reader to test).");
  }
  if (code === "InvalidAuthenticationToken" || code === "InvalidAuthenticationTokenTenant" || e.statusCode === 401) {
    return failure("tenantId", "Resource Manager refused the token: the tenant does not own this subscription.");
  }
  if (e.statusCode === 429) return failure(undefined, "Azure is throttling requests. Try again in a minute.");
  return failure(undefined, `Azure Resource Manager refused the call${e.statusCode ? ` (HTTP ${e.statusCode})` : ""}: ${(e.message ?? "no details").split("\n")[0].slice(0, 300)}`);
}
