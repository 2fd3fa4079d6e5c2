import type { Connector } from "../types";
import { apiGatewayClient, awsCredentials } from "./client";
import { awsConfigSchema, awsDescriptor } from "./descriptor";
import { describeAwsFailure } from "./errors";
import { DEFAULT_PAGE_SIZE } from "./paginate";
import { awsDeploymentSpec } from "./plan";

export interface AwsConnectorOptions {
  /** Items per listing page; tests pass a small one to cover several pages. */
  pageSize?: number;
}

/** The AWS connector; I/O modules (and the SDK with them) load on first use only. */
export function createAwsConnector(options: AwsConnectorOptions = {}): Connector {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  return {
    descriptor: awsDescriptor,

    /** GetRestApis with limit 1: proves the endpoint, the credentials and the read permission. */
    async testConnection(raw, ctx) {
      const config = awsConfigSchema.parse(raw);
      let credentials;
      try {
        credentials = await awsCredentials(config);
        // Resolving a role here separates "cannot assume the role" from "cannot call API Gateway".
        if (typeof credentials === "function") credentials = await credentials();
      } catch (error) {
        return describeAwsFailure(error, config, "credentials");
      }
      const client = await apiGatewayClient(config, credentials);
      try {
        const { GetRestApisCommand } = await import("@aws-sdk/client-api-gateway");
        const started = Date.now();
        await client.send(new GetRestApisCommand({ limit: 1 }), { abortSignal: ctx.signal });
        return { ok: true, message: `API Gateway in ${config.region} accepted the credentials (${Date.now() - started} ms).` };
      } catch (error) {
        return describeAwsFailure(error, config, "apigateway");
      } finally {
        client.destroy();
      }
    },

    async plan(input) {
      return awsDeploymentSpec(input, awsConfigSchema.parse(input.config)).plan;
    },

    async deploy(input, previousRef) {
      const { deployAws } = await import("./deploy");
      return deployAws(input, previousRef, pageSize);
    },

    async undeploy(config, ref, undeployOptions = {}) {
      const { undeployAws } = await import("./undeploy");
      await undeployAws(config, ref, undeployOptions, pageSize);
    },

    async discover(config, discoverOptions) {
      const { discoverAws } = await import("./discover");
      return discoverAws(config, discoverOptions?.signal, pageSize);
    },

    async observe(config, ref) {
      const { observeAws } = await import("./discover");
      return observeAws(config, ref);
    },

    async readLive(config, ref, liveOptions) {
      const { readLiveAws } = await import("./live");
      return readLiveAws(config, ref, liveOptions?.signal);
    },

    async provisionKey(input) {
      const { provisionAwsKey } = await import("./keys");
      return provisionAwsKey(input, pageSize);
    },

    async revokeKey(config, ref, remoteIds, revokeOptions) {
      const { revokeAwsKey } = await import("./keys");
      await revokeAwsKey(config, ref, remoteIds, revokeOptions?.signal, pageSize);
    },
  };
}

export const awsConnector: Connector = createAwsConnector();
