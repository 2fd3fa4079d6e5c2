import { createHash } from "node:crypto";
import { DESCRIPTORS } from "../descriptors";
import type {
  ConnectionTestResult,
  Connector,
  ConnectorConfig,
  ConnectorType,
  DeploymentInput,
  DeploymentRef,
  DiscoveredApi,
  PlanRefusal,
  TestConnectionContext,
} from "../types";

export interface FakeCall {
  method: "testConnection" | "plan" | "deploy" | "undeploy" | "discover" | "observe" | "provisionKey" | "revokeKey";
  config: ConnectorConfig;
  idempotencyKey?: string;
}

export interface FakeConnector extends Connector {
  /** Every call, in order, with the (decrypted) config it received. */
  readonly calls: FakeCall[];
  /** What runs "remotely", by external id. */
  readonly remote: Map<string, DiscoveredApi & { revisionNumber?: number }>;
  /** Keys installed remotely, by key value. */
  readonly keys: Map<string, { tier: string; subscriptionId: string }>;
  /** Sets what the next connection tests answer. */
  answerTestsWith(
    result: ConnectionTestResult | ((config: ConnectorConfig, ctx: TestConnectionContext) => Promise<ConnectionTestResult>),
  ): void;
  /** The next calls of `method` throw these errors, one per call, before doing anything. */
  failNext(method: "deploy" | "undeploy" | "discover" | "provisionKey", ...errors: Error[]): void;
  /** The next deploy stops half-way until `release` is called; `reached` resolves when it gets there. */
  holdNextDeploy(): { reached: Promise<void>; release: () => void };
  /** What plan() refuses from now on. */
  refuse(refusals: PlanRefusal[]): void;
}

const hashOf = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

/**
 * An in-memory gateway for tests: it takes the descriptor of a real type (so that config
 * validation is the real one), records calls, keeps deployed APIs and keys in maps, and can be
 * told to fail or to stop half-way.
 */
export function createFakeConnector(type: ConnectorType = "kong"): FakeConnector {
  const calls: FakeCall[] = [];
  const remote: FakeConnector["remote"] = new Map();
  const keys: FakeConnector["keys"] = new Map();
  const failures = new Map<string, Error[]>();
  const holds: Array<{ reached: () => void; released: Promise<void> }> = [];
  let refusals: PlanRefusal[] = [];
  let answer: (config: ConnectorConfig, ctx: TestConnectionContext) => Promise<ConnectionTestResult> = async () => ({
    ok: true,
    message: "Fake gateway reachable.",
  });

  const externalId = (input: DeploymentInput) => `${input.environment.name}:${input.api.id}`;
  const maybeFail = (method: string) => {
    const error = failures.get(method)?.shift();
    if (error) throw error;
  };

  return {
    descriptor: DESCRIPTORS[type],
    calls,
    remote,
    keys,
    answerTestsWith(result) {
      answer = typeof result === "function" ? result : async () => result;
    },
    failNext(method, ...errors) {
      failures.set(method, [...(failures.get(method) ?? []), ...errors]);
    },
    holdNextDeploy() {
      let reached!: () => void;
      let release!: () => void;
      const reachedP = new Promise<void>((r) => (reached = r));
      const released = new Promise<void>((r) => (release = r));
      holds.push({ reached, released });
      return { reached: reachedP, release };
    },
    refuse(next) {
      refusals = next;
    },
    async testConnection(config, ctx) {
      calls.push({ method: "testConnection", config });
      return answer(config, ctx);
    },
    async plan(input) {
      calls.push({ method: "plan", config: input.config });
      return { artifacts: [{ kind: "api", name: input.api.name, format: "json", content: input.revision.definition }], refusals };
    },
    async deploy(input, previousRef) {
      calls.push({ method: "deploy", config: input.config, idempotencyKey: input.idempotencyKey });
      maybeFail("deploy");
      await input.onStep?.("Created API", input.api.name);
      const hold = holds.shift();
      if (hold) {
        hold.reached();
        await hold.released;
      }
      const contentHash = hashOf(input.revision.definition);
      const id = previousRef?.ids.api ?? externalId(input);
      remote.set(id, {
        externalId: id,
        name: input.api.name,
        version: input.api.version,
        context: input.api.context,
        definition: input.revision.definition,
        contentHash,
        revisionNumber: input.revision.number,
      });
      await input.onStep?.("Published", `revision ${input.revision.number}`);
      return { type, version: 1, ids: { api: id }, contentHash, invokeUrl: `https://fake.example/${id}` } satisfies DeploymentRef;
    },
    async undeploy(config, ref) {
      calls.push({ method: "undeploy", config });
      maybeFail("undeploy");
      remote.delete(ref.ids.api);
    },
    async discover(config) {
      calls.push({ method: "discover", config });
      maybeFail("discover");
      return [...remote.values()];
    },
    async observe(config, ref) {
      calls.push({ method: "observe", config });
      const api = remote.get(ref.ids.api);
      return api ? { exists: true, contentHash: api.contentHash } : { exists: false };
    },
    async provisionKey(input) {
      calls.push({ method: "provisionKey", config: input.config, idempotencyKey: input.idempotencyKey });
      maybeFail("provisionKey");
      keys.set(input.key.value, { tier: input.subscription.tier, subscriptionId: input.subscription.id });
      return { key: input.key.value };
    },
    async revokeKey(config, _ref, remoteIds) {
      calls.push({ method: "revokeKey", config });
      keys.delete(remoteIds.key);
    },
  };
}
