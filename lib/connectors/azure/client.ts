import type { ApiManagementClient } from "@azure/arm-apimanagement";
import type { TokenCredential } from "@azure/identity";
import type { AzureConfig } from "./descriptor";

export const DEFAULT_ARM_ENDPOINT = "https://management.azure.com";

/** The scope of a Resource Manager token for this endpoint. */
export function armScope(config: AzureConfig): string {
  return `${config.endpoint ?? DEFAULT_ARM_ENDPOINT}/.default`;
}

/** A service-principal credential. The SDK is loaded on first use only. */
export async function azureCredential(config: AzureConfig): Promise<TokenCredential> {
  const { ClientSecretCredential } = await import("@azure/identity");
  return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret, {
    ...(config.authorityHost ? { authorityHost: config.authorityHost, disableInstanceDiscovery: true } : {}),
    retryOptions: { maxRetries: 0 },
  });
}

export async function apiManagementClient(config: AzureConfig, credential: TokenCredential): Promise<ApiManagementClient> {
  const { ApiManagementClient } = await import("@azure/arm-apimanagement");
  return new ApiManagementClient(credential, config.subscriptionId, {
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    credentialScopes: [armScope(config)],
    retryOptions: { maxRetries: 0 },
  });
}
