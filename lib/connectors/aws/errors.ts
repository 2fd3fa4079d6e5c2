import { networkFailure } from "../http";
import { ConnectorError, type ConnectionTestResult } from "../types";
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
    const message =
      "No AWS credentials were found for Meridian itself: enter an access key, or run Meridian with an AWS identity that may assume the role.";
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
  return {
    ok: false,
    message: `API Gateway refused the call${status ? ` (HTTP ${status})` : ""}: ${name ? `${name}: ` : ""}${(e.message ?? "no details").slice(0, 300)}`,
  };
}

const UNAUTHORIZED = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "MissingAuthenticationTokenException",
  "ExpiredTokenException",
  "ExpiredToken",
  "UnauthorizedException",
  "CredentialsProviderError",
]);

/**
 * Classifies an SDK failure for the deployment engine: throttling, 5xx and transport failures
 * are retried with back-off; everything else fails the job with AWS's own message.
 */
export function toConnectorError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const e = (error ?? {}) as AwsError;
  const name = e.name ?? "";
  const status = e.$metadata?.httpStatusCode;
  const detail = (e.message ?? "no details").slice(0, 500);
  const message = `API Gateway: ${name && name !== "Error" ? `${name}: ` : ""}${detail}`;

  const network = networkFailure(error);
  if (network) {
    const timedOut = network === "no answer came within the time limit" || network === "the connection timed out";
    return new ConnectorError(timedOut ? "timeout" : "unavailable", `Could not reach API Gateway: ${network}.`);
  }
  if (name === "TooManyRequestsException" || name === "LimitExceededException" || name === "ThrottlingException" || status === 429)
    return new ConnectorError("throttled", message, true, status ?? 429);
  if (name === "ServiceUnavailableException" || name === "InternalFailure" || (status !== undefined && status >= 500))
    return new ConnectorError("unavailable", message, true, status);
  if (name === "NotFoundException" || status === 404) return new ConnectorError("not_found", message, false, status ?? 404);
  if (name === "ConflictException" || status === 409) return new ConnectorError("conflict", message, false, status ?? 409);
  if (UNAUTHORIZED.has(name) || status === 401) return new ConnectorError("unauthorized", message, false, status);
  if (name === "AccessDeniedException" || status === 403) return new ConnectorError("forbidden", message, false, status ?? 403);
  if (name === "BadRequestException" || status === 400) return new ConnectorError("invalid", message, false, status ?? 400);
  // No HTTP status: the SDK failed before or after the exchange (a reply it could not parse).
  if (status === undefined) return new ConnectorError("unavailable", message, true);
  return new ConnectorError("invalid", message, false, status);
}

/** For deletes and lookups where absence is the goal. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ConnectorError ? error.code === "not_found" : toConnectorError(error).code === "not_found";
}
