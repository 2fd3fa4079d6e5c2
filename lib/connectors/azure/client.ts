import { rootCertificates } from "node:tls";
import type { ApiManagementClient } from "@azure/arm-apimanagement";
import type { TokenCredential } from "@azure/identity";
import type { AzureConfig } from "./descriptor";

export const DEFAULT_ARM_ENDPOINT = "https://management.azure.com";

/** The scope of a Resource Manager token for this endpoint. */
export function armScope(config: AzureConfig): string {
  return `${config.endpoint ?? DEFAULT_ARM_ENDPOINT}/.default`;
}

/**
 * The CA bundle for this environment's requests: the public roots plus its own CA, so that a
 * private Resource Manager endpoint and the public Entra ID both verify. Passed per client,
 * never through the process environment, so one environment's CA never applies to another.
 */
export function trustedCas(config: AzureConfig): string[] | undefined {
  return config.caCertificate ? [...rootCertificates, config.caCertificate] : undefined;
}

function tlsOptions(config: AzureConfig) {
  const ca = trustedCas(config);
  return ca ? { tlsOptions: { ca } } : {};
}

/** A service-principal credential. The SDK is loaded on first use only. */
export async function azureCredential(config: AzureConfig): Promise<TokenCredential> {
  const { ClientSecretCredential } = await import("@azure/identity");
  return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret, {
    ...(config.authorityHost ? { authorityHost: config.authorityHost, disableInstanceDiscovery: true } : {}),
    ...tlsOptions(config),
    retryOptions: { maxRetries: 0 },
  });
}

/**
 * The Resource Manager client. The SDK's own retries are off: the deployment engine retries
 * whole steps with back-off, and a connection test must answer within its time limit.
 */
export async function apiManagementClient(config: AzureConfig, credential: TokenCredential): Promise<ApiManagementClient> {
  const { ApiManagementClient } = await import("@azure/arm-apimanagement");
  return new ApiManagementClient(credential, config.subscriptionId, {
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    credentialScopes: [armScope(config)],
    ...tlsOptions(config),
    retryOptions: { maxRetries: 0 },
  });
}

export interface AzureSession {
  config: AzureConfig;
  client: ApiManagementClient;
  rg: string;
  service: string;
}

export async function azureSession(config: AzureConfig): Promise<AzureSession> {
  const credential = await azureCredential(config);
  return { config, client: await apiManagementClient(config, credential), rg: config.resourceGroup, service: config.serviceName };
}
