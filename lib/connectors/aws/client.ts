import type { APIGatewayClient, APIGatewayClientConfig } from "@aws-sdk/client-api-gateway";
import type { AwsConfig } from "./descriptor";

type AwsCredentials = NonNullable<APIGatewayClientConfig["credentials"]>;

// Each connection attempt and each request gets less than the whole test's 10 s.
const HANDLER = { connectionTimeout: 4000, requestTimeout: 8000 };

/** The credentials a call uses: static keys, a role assumed with them, or a role assumed by Meridian's own identity. */
export async function awsCredentials(config: AwsConfig): Promise<AwsCredentials> {
  const keys =
    config.accessKeyId && config.secretAccessKey ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } : undefined;
  if (!config.roleArn) return keys!;
  const { fromTemporaryCredentials } = await import("@aws-sdk/credential-providers");
  return fromTemporaryCredentials({
    params: { RoleArn: config.roleArn, RoleSessionName: "meridian", ExternalId: config.externalId, DurationSeconds: 900 },
    masterCredentials: keys,
    // The endpoint override serves STS too (LocalStack); private DNS covers VPC endpoints.
    clientConfig: {
      region: config.region,
      maxAttempts: 1,
      requestHandler: HANDLER,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    },
  });
}

/** An API Gateway client for one environment. The SDK is loaded on first use only. */
export async function apiGatewayClient(config: AwsConfig, credentials: AwsCredentials): Promise<APIGatewayClient> {
  const { APIGatewayClient } = await import("@aws-sdk/client-api-gateway");
  return new APIGatewayClient({
    region: config.region,
    credentials,
    maxAttempts: 1,
    requestHandler: HANDLER,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  });
}
