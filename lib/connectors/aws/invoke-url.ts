import type { AwsConfig } from "./descriptor";

const DEFAULT_TEMPLATE = "https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}";

/** Where clients call a deployed stage: AWS's execute-api host, or the environment's own template. */
export function invokeUrl(config: Pick<AwsConfig, "region" | "invokeUrlTemplate">, restApiId: string, stage: string): string {
  return (config.invokeUrlTemplate ?? DEFAULT_TEMPLATE)
    .replaceAll("{restApiId}", restApiId)
    .replaceAll("{region}", config.region)
    .replaceAll("{stage}", stage);
}

/** The ARN that tags API Gateway resources, for example a REST API's. */
export function resourceArn(region: string, path: string): string {
  return `arn:aws:apigateway:${region}::${path}`;
}
