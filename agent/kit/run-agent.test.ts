import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import { FakeControlPlane } from "@/gateway/tests/support/fake-control-plane";
import { testSnapshot, waitFor } from "@/gateway/tests/support/harness";
import { TestKeys } from "@/gateway/tests/support/keys";
import type { AgentConfig } from "./config";
import { runAgent, type RunningAgent } from "./run-agent";
import { CompileError, ValidationError, type CompiledFiles, type GatewayDriver } from "./types";

/** A driver that records what the kit asks of it; its gateway refuses files containing "refuse". */
class RecordingDriver implements GatewayDriver {
  readonly name = "Recorder";
  readonly calls: string[] = [];
  served: CompiledFiles | null = null;
  compile(snapshot: Snapshot): CompiledFiles {
    this.calls.push(`compile ${snapshot.version}`);
    if (snapshot.version.startsWith("unenforceable")) throw new CompileError("Monthly quotas are not supported.");
    // What this gateway sees: the routes only (a subscription change compiles to the same files).
    return {
      "routes.conf":
        snapshot.apis.map((a) => `${a.context}/${a.version}`).join("\n") + (snapshot.version.startsWith("refuse") ? "\nrefuse" : ""),
    };
  }
  async validate(files: CompiledFiles): Promise<void> {
    this.calls.push("validate");
    if (files["routes.conf"].includes("refuse")) throw new ValidationError("line 3: unknown directive refuse");
  }
  async apply(files: CompiledFiles): Promise<void> {
    this.calls.push("apply");
    this.served = files;
  }
  async readStats() {
    return {};
  }
}

let keys: TestKeys;
let cp: FakeControlPlane;
let agent: RunningAgent | null = null;
beforeAll(async () => {
  keys = await TestKeys.create();
});
afterEach(async () => {
  await agent?.stop();
  await cp?.stop();
});

function config(dir: string): AgentConfig {
  return {
    environment: "test",
    controlPlaneUrl: cp.url,
    token: cp.token,
    cacheDir: dir,
    region: null,
    instanceId: "kit-test",
    longPollSeconds: 2,
    heartbeatIntervalMs: 100,
    eventBatchSize: 10,
    eventFlushMs: 50,
  };
}

describe("the agent kit", () => {
  it("compiles, validates and applies each new snapshot; a refusal keeps what serves and is reported", async () => {
    cp = new FakeControlPlane();
    await cp.start();
    cp.publish(testSnapshot("http://127.0.0.1:9", keys, "1"));
    const driver = new RecordingDriver();
    agent = await runAgent(driver, config(fs.mkdtempSync(path.join(os.tmpdir(), "kit-"))));
    await waitFor(() => agent!.appliedVersion() === "1");
    expect(driver.calls).toEqual(["compile 1", "validate", "apply"]);
    const served = driver.served;

    // The gateway refuses the next configuration: nothing is applied, the error is reported.
    cp.publish(testSnapshot("http://127.0.0.1:9", keys, "refuse-2"));
    await waitFor(() => agent!.lastError()?.version === "refuse-2");
    expect(agent.lastError()?.message).toBe("line 3: unknown directive refuse");
    expect(agent.appliedVersion()).toBe("1");
    expect(driver.served).toBe(served);
    await waitFor(() => cp.heartbeats.some((h) => h.lastError?.version === "refuse-2" && h.appliedVersion === "1"));

    // What the gateway cannot enforce is refused the same way.
    cp.publish(testSnapshot("http://127.0.0.1:9", keys, "unenforceable-3"));
    await waitFor(() => agent!.lastError()?.version === "unenforceable-3");
    expect(agent.lastError()?.message).toMatch(/Monthly quotas/);

    // A snapshot that compiles to the files already served is taken without touching the gateway.
    driver.calls.length = 0;
    cp.publish(testSnapshot("http://127.0.0.1:9", keys, "4"));
    await waitFor(() => agent!.appliedVersion() === "4");
    expect(driver.calls).toEqual(["compile 4"]);
    expect(agent.lastError()).toBeNull();
  });

  it("serves the cached snapshot at start while the control plane is away", async () => {
    cp = new FakeControlPlane();
    await cp.start();
    cp.publish(testSnapshot("http://127.0.0.1:9", keys, "7"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kit-"));
    agent = await runAgent(new RecordingDriver(), config(dir));
    await waitFor(() => agent!.appliedVersion() === "7");
    await agent.stop();
    await cp.stop();
    const driver = new RecordingDriver();
    agent = await runAgent(driver, config(dir));
    expect(agent.appliedVersion()).toBe("7");
    expect(driver.calls).toEqual(["compile 7", "validate", "apply"]);
  });
});
