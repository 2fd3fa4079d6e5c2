import type { Connector } from "../types";
import { apiManagementClient, armScope, azureCredential } from "./client";
import { azureConfigSchema, azureDescriptor } from "./descriptor";
import { deployToAzure } from "./deploy";
import { discoverOnAzure, observeOnAzure } from "./discover";
import { describeAzureFailure } from "./errors";
import { provisionKeyOnAzure, revokeKeyOnAzure } from "./keys";
import { undeployFromAzure } from "./remove";
import { readLiveAzure } from "./live";
import { planOf, translate } from "./translate";

export const azureConnector: Connector = {
  descriptor: azureDescriptor,

  /** Signs in as the service principal, then reads the API Management service. */
  async testConnection(raw, ctx) {
    const config = azureConfigSchema.parse(raw);
    const credential = await azureCredential(config);
    try {
      // A token first, so that sign-in failures and Resource Manager failures are told apart.
      await credential.getToken(armScope(config), { abortSignal: ctx.signal });
    } catch (error) {
      return describeAzureFailure(error, config, "token");
    }
    try {
      const client = await apiManagementClient(config, credential);
      const service = await client.apiManagementService.get(config.resourceGroup, config.serviceName, { abortSignal: ctx.signal });
      const where = service.location ? ` in ${service.location}` : "";
      return {
        ok: true,
        message: `Connected to API Management service ${service.name ?? config.serviceName}${where} (${service.sku?.name ?? "unknown"} tier).`,
      };
    } catch (error) {
      return describeAzureFailure(error, config, "management");
    }
  },

  /** Version set, API import, policy XML, operation policies and products; refusals for what Azure cannot enforce. */
  async plan(input) {
    return planOf(translate(input));
  },

  deploy: deployToAzure,
  undeploy: undeployFromAzure,
  discover: discoverOnAzure,
  observe: observeOnAzure,
  readLive: (config, ref, options) => readLiveAzure(config, ref, options?.signal),
  provisionKey: provisionKeyOnAzure,
  revokeKey: revokeKeyOnAzure,
};
