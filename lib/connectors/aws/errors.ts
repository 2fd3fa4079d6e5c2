import { networkFailure } from "../http";
import type { ConnectionTestResult } from "../types";
import type { AwsConfig } from "./descriptor";

type AwsError = { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };

/** Where the failure happened: getting credentials (STS), or calling API Gateway with them. */
export type AwsPhase = "credentials" | "apigateway";

/** Turns an SDK failure into a message a person can act on, on the field it points at. */
export function describeAwsFailure(error: unknown, config: AwsConfig, phase: AwsPhase): ConnectionTestResult {
  const e = (error ?? {}) as AwsError;
  const name = e.name ?? "";
  const status = e.$metadata?.httpStatusCode;
  const viaRole = !!config.roleArn;
  const keysField = config.accessKeyId ? "accessKeyId" : viaRole ? "roleArn" : "accessKeyId";

  const network = networkFailure(error);
  if (network) {
    const where = config.endpoint ? `the endpoint ${config.endpoint}` : `AWS in ${config.region}`;
    const fieldName = config.endpoint ? "endpoint" : "region";
    const message = `Could not reach ${where}: ${network}.`;
    return { ok: false, message, fieldErrors: { [fieldName]: message } };
  }
  if (name === "CredentialsProviderError") {
    const message = "No AWS credentials were found for Meridian itself: enter an access key, or run Meridian with an AWS identity that may assume the role.";
    return { ok: false, message, fieldErrors: { accessKeyId: message } };
  }
  if (name === "UnrecognizedClientException" || name === "InvalidClientTokenId") {
    const message = "AWS does not recognise this access key id.";
    return { ok: false, message, fieldErrors: { accessKeyId: message } };
  }
  if (name === "InvalidSignatureException" || name === "SignatureDoesNotMatch") {
    const message = "AWS refused the signature: the secret access key does not belong to this access key id.";
    return { ok: false, message, fieldErrors: { secretAccessKey: message } };
  }
  if (name === "ExpiredTokenException" || name === "ExpiredToken") {
    const message = "The AWS credentials have expired.";
    return { ok: false, message, fieldErrors: { [keysField]: message } };
  }
  if (phase === "credentials") {
    const message = `AWS refused to let these credentials assume the role (${name || "error"}): check the role's trust policy${config.externalId ? " and the external id" : ""}.`;
    return { ok: false, message, fieldErrors: { roleArn: message } };
  }
  if (name === "AccessDeniedException" || status === 403) {
    const message = "The credentials are valid but may not read API Gateway: allow apigateway:GET on arn:aws:apigateway:*::/restapis.";
    return { ok: false, message, fieldErrors: { [keysField]: message } };
  }
  if (name === "TooManyRequestsException" || status === 429) {
    return { ok: false, message: "API Gateway is throttling requests from this account. Try again in a minute." };
  }
  if (status && status >= 500) {
    return { ok: false, message: `API Gateway answered with an error (${status}${name ? ` ${name}` : ""}). Try again later.` };
  }
  if (config.endpoint && (!status || status === 404 || !name || name === "Error" || name === "SyntaxError")) {
    const message = `The endpoint ${config.endpoint} does not answer like API Gateway${status ? ` (HTTP ${status})` : ""}.`;
    return { ok: false, message, fieldErrors: { endpoint: message } };
  }
  return { ok: false, message: `API Gateway refused the call${status ? ` (HTTP ${status})` : ""}: ${name ? `${name}: ` : ""}${(e.message ?? "no details").slice(0, 300)}` };
}
