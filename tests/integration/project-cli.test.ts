import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startAwsEmulator, type AwsEmulator } from "@/e2e/emulators/aws/server";
import { closeDb, getDb } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { queueSettings } from "@/lib/jobs/queue";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { createToken } from "@/lib/services/tokens/create-token";
import { userContext } from "../helpers";
import { startMeridianHttp, type MeridianHttp } from "./meridian-http";
import { TSX_BIN } from "./processes";

vi.mock("server-only", () => ({}));
vi.mock("@/lib/auth/session", () => ({ getSessionActor: async () => null }));

/** `npm run meridian -- plan/apply/export` as a pipeline runs it, against a running Meridian's REST API. */

let meridian: MeridianHttp;
let emulator: AwsEmulator;
let worker: Worker;
let token = "";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-cli-"));
const suffix = randomBytes(3).toString("hex");
const awsEnv = `aws-cli-${suffix}`;

beforeAll(async () => {
  await getDb();
  await ensureDefaults();
  const ctx = await userContext(["admin", "publisher"], "cli");
  token = (await createToken({ name: "ci" }, ctx)).token;
  emulator = await startAwsEmulator();
  queueSettings.backoffMs = 20;
  queueSettings.pollMs = 20;
  await createEnvironment(
    {
      name: awsEnv,
      type: "aws",
      mode: "read-write",
      displayName: awsEnv,
      config: {
        region: "eu-west-1",
        accessKeyId: "AKIAMERIDIANEMULATOR",
        secretAccessKey: "meridian-emulator-secret",
        endpoint: emulator.url,
        invokeUrlTemplate: emulator.invokeUrlTemplate,
      },
    },
    ctx,
  );
  worker = startWorker({ tasks: [], handlers: JOB_HANDLERS });
  meridian = await startMeridianHttp();
});
afterAll(async () => {
  await worker?.stop();
  await meridian?.close();
  await emulator?.close();
  await closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX_BIN, ["scripts/meridian.ts", ...args], {
      cwd: path.resolve(__dirname, "../.."),
      env: { ...process.env, MERIDIAN_URL: meridian.url, MERIDIAN_TOKEN: token, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const definition = (paths: string[]) => `openapi: 3.0.3
info: { title: Inventory, version: v1 }
paths:
${paths.map((p) => `  ${p}:\n    get:\n      responses:\n        "200": { description: ok }`).join("\n")}
`;

function writeProject(paths: string[]) {
  fs.writeFileSync(path.join(dir, "inventory.yaml"), definition(paths));
  fs.writeFileSync(
    path.join(dir, "meridian.yaml"),
    `# yaml-language-server: $schema=${meridian.url}/api/v1/schemas/project.json
apiVersion: meridian/v1
apis:
  - name: Inventory ${suffix}
    version: v1
    context: /inventory-${suffix}
    definition: inventory.yaml
    endpoints: { production: http://127.0.0.1:9/inventory }
    security: { scheme: none }
deployments:
  - api: Inventory ${suffix}
    environments: [${awsEnv}]
`,
  );
}

describe("meridian plan / apply / export", () => {
  it(
    "plans, applies with progress, is idempotent, and shows one new revision with its artifact diff after a change",
    { timeout: 120_000 },
    async () => {
      writeProject(["/items"]);
      const file = path.join(dir, "meridian.yaml");

      const empty = await cli(["plan", "-f", file]);
      expect(empty.stderr).toBe("");
      expect(empty.code).toBe(2);
      expect(empty.stdout).toContain(`+ api Inventory ${suffix}@v1`);
      expect(empty.stdout).toContain(`→ deployment Inventory ${suffix}@v1 → ${awsEnv}: revision 1`);
      expect(empty.stdout).toMatch(/\+ {1,}"\/items": \{/);

      const applied = await cli(["apply", "-f", file]);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toContain("Imported the REST API");
      expect(applied.stdout).toContain(`✓ Inventory ${suffix}@v1 → ${awsEnv}: revision 1 deployed`);

      const again = await cli(["plan", "-f", file]);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain("No changes");
      const reapplied = await cli(["apply", "-f", file]);
      expect(reapplied.code).toBe(0);
      expect(reapplied.stdout.trim()).toBe("No changes: Meridian matches the project file.");

      writeProject(["/items", "/items/low"]);
      const changed = await cli(["plan", "-f", file, "--json"]);
      expect(changed.code).toBe(2);
      const plan = JSON.parse(changed.stdout) as {
        changes: Array<{ kind: string; details: string[] }>;
        environments: Array<{ diff: { lines: Array<{ kind: string; text: string }> } }>;
      };
      expect(plan.changes.filter((c) => c.kind === "revision").map((c) => c.details[0])).toEqual(["revision 2 (after 1)"]);
      expect(plan.environments[0].diff.lines.some((l) => l.kind === "added" && l.text.includes('"/items/low"'))).toBe(true);
      const second = await cli(["apply", "-f", file]);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain("revision 2 deployed");
      expect((await cli(["plan", "-f", file])).code).toBe(0);

      const out = path.join(dir, "exported");
      const exported = await cli(["export", "--api", `Inventory ${suffix}@v1`, "-o", out]);
      expect(exported.code, exported.stderr).toBe(0);
      const yaml = fs.readFileSync(path.join(out, "meridian.yaml"), "utf8");
      expect(yaml).toContain(`context: /inventory-${suffix}`);
      expect(yaml).toContain(awsEnv);
      // What export writes plans to no change.
      expect((await cli(["plan", "-f", path.join(out, "meridian.yaml")])).code).toBe(0);
    },
  );

  it("exits 1 with every error of the file, path and line, and applies nothing", { timeout: 60_000 }, async () => {
    const file = path.join(dir, "broken.yaml");
    fs.writeFileSync(
      file,
      `apiVersion: meridian/v1\napis:\n  - name: Broken\n    version: v1\n    definition: nowhere.yaml\n    extra: 1\n`,
    );
    const result = await cli(["apply", "-f", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("apis[0].context (line 3, column 5)");
    expect(result.stderr).toContain('apis[0].extra (line 6, column 12): Unknown field "extra".');

    fs.writeFileSync(path.join(dir, "ok.yaml"), definition(["/a"]));
    fs.writeFileSync(
      file,
      `apiVersion: meridian/v1\napis:\n  - { name: B, version: v1, context: /b-${suffix}, definition: ok.yaml }\ndeployments:\n  - api: B\n    environments: [nowhere]\n`,
    );
    const remote = await cli(["plan", "-f", file]);
    expect(remote.code).toBe(1);
    expect(remote.stderr).toContain("deployments[0].environments[0]: No environment named nowhere");

    const noToken = await cli(["plan", "-f", file], { MERIDIAN_TOKEN: "" });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain("MERIDIAN_TOKEN");
  });
});
