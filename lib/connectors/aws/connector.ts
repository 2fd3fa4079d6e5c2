import { notAvailableYet } from "../not-available";
import type { Connector } from "../types";
import { apiGatewayClient, awsCredentials } from "./client";
import { awsConfigSchema, awsDescriptor } from "./descriptor";
import { describeAwsFailure } from "./errors";

export const awsConnector: Connector = {
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

  ...notAvailableYet("AWS API Gateway"),
};
