import type { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import type { ConnectorConfig } from "../types";
import { apiGatewayClient, awsCredentials } from "./client";
import { awsConfigSchema, type AwsConfig } from "./descriptor";
import { isNotFound, toConnectorError } from "./errors";

/** Any API Gateway command; its output type is read off the handler it resolves to. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Sendable = { resolveMiddlewareWithContext: (...args: any[]) => (...args: any[]) => Promise<{ output: unknown }> };
type OutputOf<C> = C extends { resolveMiddlewareWithContext: (...args: never[]) => (...args: never[]) => Promise<{ output: infer O }> }
  ? O
  : never;

/** One environment's API Gateway: config, client, and a send that classifies every failure. */
export interface AwsSession {
  config: AwsConfig;
  /** The SDK call; failures arrive as ConnectorError. */
  send<C extends Sendable>(command: C): Promise<OutputOf<C>>;
  /** The same, with a remote "not found" answered as undefined. */
  sendOrMissing<C extends Sendable>(command: C): Promise<OutputOf<C> | undefined>;
  close(): void;
}

export async function openAwsSession(raw: ConnectorConfig, signal?: AbortSignal): Promise<AwsSession> {
  const config = awsConfigSchema.parse(raw);
  let client: APIGatewayClient;
  try {
    client = await apiGatewayClient(config, await awsCredentials(config));
  } catch (error) {
    throw toConnectorError(error);
  }
  const send = async <C extends Sendable>(command: C): Promise<OutputOf<C>> => {
    try {
      return (await client.send(command as never, signal ? { abortSignal: signal } : {})) as OutputOf<C>;
    } catch (error) {
      throw toConnectorError(error);
    }
  };
  return {
    config,
    send,
    async sendOrMissing(command) {
      try {
        return await send(command);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    close: () => client.destroy(),
  };
}

/** Runs `fn` with a session and always releases its sockets. */
export async function withAwsSession<T>(
  raw: ConnectorConfig,
  signal: AbortSignal | undefined,
  fn: (session: AwsSession) => Promise<T>,
): Promise<T> {
  const session = await openAwsSession(raw, signal);
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}
