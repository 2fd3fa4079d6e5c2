import { createHash } from "node:crypto";
import { DESCRIPTORS } from "../descriptors";
import type { ConnectionTestResult, Connector, ConnectorConfig, ConnectorType, DeploymentInput, DeploymentRef, DiscoveredApi, TestConnectionContext } from "../types";

export interface FakeCall {
  method: "testConnection" | "plan" | "deploy" | "undeploy" | "discover" | "observe";
  config: ConnectorConfig;
}

export interface FakeConnector extends Connector {
  /** Every call, in order, with the (decrypted) config it received. */
  readonly calls: FakeCall[];
  /** What runs "remotely", by external id. */
  readonly remote: Map<string, DiscoveredApi>;
  /** Sets what the next connection tests answer. */
  answerTestsWith(result: ConnectionTestResult | ((config: ConnectorConfig, ctx: TestConnectionContext) => Promise<ConnectionTestResult>)): void;
}

const hashOf = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

/**
 * An in-memory gateway for tests: it takes the descriptor of a real type (so that config
 * validation is the real one), records calls, and keeps deployed APIs in a map.
 */
export function createFakeConnector(type: ConnectorType = "kong"): FakeConnector {
  const calls: FakeCall[] = [];
  const remote = new Map<string, DiscoveredApi>();
  let answer: (config: ConnectorConfig, ctx: TestConnectionContext) => Promise<ConnectionTestResult> = async () => ({ ok: true, message: "Fake gateway reachable." });

  const externalId = (input: DeploymentInput) => `${input.environment.name}:${input.api.id}`;

  return {
    descriptor: DESCRIPTORS[type],
    calls,
    remote,
    answerTestsWith(result) {
      answer = typeof result === "function" ? result : async () => result;
    },
    async testConnection(config, ctx) {
      calls.push({ method: "testConnection", config });
      return answer(config, ctx);
    },
    async plan(input) {
      calls.push({ method: "plan", config: input.config });
      return { artifacts: [{ kind: "api", name: input.api.name, format: "json", content: input.revision.definition }], refusals: [] };
    },
    async deploy(input) {
      calls.push({ method: "deploy", config: input.config });
      const contentHash = hashOf(input.revision.definition);
      const id = externalId(input);
      remote.set(id, { externalId: id, name: input.api.name, version: input.api.version, context: input.api.context, definition: input.revision.definition, contentHash });
      return { type, version: 1, ids: { api: id }, contentHash } satisfies DeploymentRef;
    },
    async undeploy(config, ref) {
      calls.push({ method: "undeploy", config });
      remote.delete(ref.ids.api);
    },
    async discover(config) {
      calls.push({ method: "discover", config });
      return [...remote.values()];
    },
    async observe(config, ref) {
      calls.push({ method: "observe", config });
      const api = remote.get(ref.ids.api);
      return api ? { exists: true, contentHash: api.contentHash } : { exists: false };
    },
  };
}
