import type http from "node:http";

/**
 * API Gateway's error shape: the type in x-amzn-ErrorType, the text in {"message"}. The SDK
 * names its exceptions after that header, so clients see what they would see on AWS.
 */
export class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new AwsError(400, "BadRequestException", message);
export const notFound = (message: string) => new AwsError(404, "NotFoundException", message);
export const conflict = (message: string) => new AwsError(409, "ConflictException", message);

const TYPE_BY_STATUS: Record<number, string> = {
  400: "BadRequestException",
  401: "UnauthorizedException",
  403: "AccessDeniedException",
  404: "NotFoundException",
  409: "ConflictException",
  429: "TooManyRequestsException",
  500: "InternalFailure",
  503: "ServiceUnavailableException",
};

const MESSAGE_BY_STATUS: Record<number, string> = {
  429: "Too Many Requests",
  500: "Internal server error",
  503: "Service Unavailable",
};

export function errorFor(status: number, type?: string, message?: string): AwsError {
  return new AwsError(
    status,
    type ?? TYPE_BY_STATUS[status] ?? (status >= 500 ? "InternalFailure" : "BadRequestException"),
    message ?? MESSAGE_BY_STATUS[status] ?? `Injected ${status}`,
  );
}

export function sendError(res: http.ServerResponse, error: AwsError, requestId: string): void {
  res.writeHead(error.status, { "content-type": "application/json", "x-amzn-errortype": error.type, "x-amzn-requestid": requestId });
  res.end(JSON.stringify({ message: error.message }));
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "x-amzn-requestid": requestId, ...headers });
  res.end(text);
}
