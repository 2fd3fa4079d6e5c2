import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsEmulator, type AwsEmulator } from "@/e2e/emulators/aws/server";
import { closeDb, getDb } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { queueSettings } from "@/lib/jobs/queue";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import type { ServiceContext } from "@/lib/services/context";
import { getDeployment } from "@/lib/services/deployments/get-deployment";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { applyProject } from "@/lib/services/project/apply-project";
import { planProject } from "@/lib/services/project/plan-project";
import { listRevisions } from "@/lib/services/apis/list-revisions";
import { userContext } from "../helpers";

let ctx: ServiceContext;
let emulator: AwsEmulator;
let worker: Worker;
const aws = `aws-${randomBytes(3).toString("hex")}`;

beforeAll(async () => {
  await getDb();
  await ensureDefaults();
  ctx = await userContext(["admin", "publisher"], "project");
  emulator = await startAwsEmulator();
  queueSettings.backoffMs = 20;
  queueSettings.pollMs = 20;
  await createEnvironment(
    {
      name: aws,
      type: "aws",
      mode: "read-write",
      displayName: aws,
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
});
afterAll(async () => {
  await worker?.stop();
  await emulator?.close();
  await closeDb();
});

const suffix = randomBytes(3).toString("hex");
const doc = (paths: string[]) =>
  JSON.stringify({
    openapi: "3.0.3",
    info: { title: "Stock", version: "v1" },
    paths: Object.fromEntries(paths.map((p) => [p, { get: { responses: { "200": { description: "ok" } } } }])),
  });
const project = (tierRequests = 7) => `apiVersion: meridian/v1
tiers:
  - name: Project${suffix}
    requests: ${tierRequests}
    unit: minute
apis:
  - name: Stock ${suffix}
    version: v1
    context: /stock-${suffix}
    definition: stock.json
    endpoints: { production: http://127.0.0.1:9/stock }
    security: { scheme: apiKey, apiKeyHeader: x-api-key }
    tiers: [Project${suffix}]
    documents:
      - title: Guide
        file: guide.md
deployments:
  - api: Stock ${suffix}
    environments: [default, ${aws}]
`;

async function until<T>(probe: () => Promise<T>, accept: (v: T) => boolean, ms = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe();
    if (accept(v)) return v;
    if (Date.now() - start > ms) throw new Error(`not reached: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("project plan and apply", () => {
  it("plans, applies idempotently, and plans one new revision with the artifact diff after a change", async () => {
    const files = { "stock.json": doc(["/items"]), "guide.md": "# Guide\n" };
    const first = await planProject({ project: project(), files }, ctx);
    expect(first.hasChanges).toBe(true);
    expect(first.changes.map((c) => `${c.kind}:${c.action}`)).toEqual([
      "tier:create",
      "api:create",
      "document:create",
      "revision:revision",
      "deployment:deploy",
      "deployment:deploy",
    ]);
    const awsDiff = first.environments.find((e) => e.environment === aws)!;
    expect(awsDiff.diff.lines.some((l) => l.kind === "added" && l.text.includes("/items"))).toBe(true);

    const applied = await applyProject({ project: project(), files }, ctx);
    expect(applied).toMatchObject({ ok: true, failed: null, notDone: [] });
    expect(applied.done).toHaveLength(6);
    const awsDep = applied.deployments.find((d) => d.environment === aws)!;
    await until(
      () => getDeployment(awsDep.id, ctx),
      (d) => d.status === "deployed",
    );

    const again = await planProject({ project: project(), files }, ctx);
    expect(again).toMatchObject({ hasChanges: false, changes: [], environments: [] });
    const second = await applyProject({ project: project(), files }, ctx);
    expect(second.done).toEqual([]);

    const changed = { ...files, "stock.json": doc(["/items", "/items/all"]) };
    const third = await planProject({ project: project(), files: changed }, ctx);
    expect(third.changes.map((c) => `${c.kind}:${c.action}:${c.details[0]}`)).toEqual([
      `definition:update:from stock.json`,
      `revision:revision:revision 2 (after 1)`,
      `deployment:deploy:revision 2 (replaces the one deployed)`,
      `deployment:deploy:revision 2 (replaces the one deployed)`,
    ]);
    const diff = third.environments.find((e) => e.environment === aws)!.diff;
    expect(diff.lines.filter((l) => l.kind === "added").some((l) => l.text.includes("/items/all"))).toBe(true);
    // The stage's description names the revision: the only line that goes.
    expect(diff.lines.filter((l) => l.kind === "removed").map((l) => l.text.trim())).toEqual(['"description": "Meridian revision 1",']);
    const applied3 = await applyProject({ project: project(), files: changed }, ctx);
    expect(applied3.ok).toBe(true);
    const apiId = (await listRevisions(applied3.deployments[0] ? (await getDeployment(applied3.deployments[0].id, ctx)).apiId : "", ctx))
      .items;
    expect(apiId.map((r) => r.number).sort()).toEqual([1, 2]);
  });

  it("reports every error of the file with its path and line, and applies nothing", async () => {
    const bad = `apiVersion: meridian/v1
apis:
  - name: Broken ${suffix}
    version: v1
    context: /broken-${suffix}
    definition: missing.json
deployments:
  - api: Broken ${suffix}
    environments: [nowhere-${suffix}]
  - api: Other
    environments: [default]
`;
    const error = await applyProject({ project: bad, files: {} }, ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "validation_failed" });
    const errors = (error as { extra: { errors: Array<{ path: string; line?: number }> } }).extra.errors;
    expect(errors.map((e) => `${e.path}:${e.line}`)).toEqual(["apis[0].definition:6", "deployments[1].api:10"]);

    const unknownEnv = await planProject(
      { project: bad.replace(/\n {2}- api: Other\n.*\n$/, "\n"), files: { "missing.json": doc(["/a"]) } },
      ctx,
    ).catch((e: unknown) => e);
    expect((unknownEnv as { extra: { errors: Array<{ path: string }> } }).extra.errors.map((e) => e.path)).toEqual([
      "deployments[0].environments[0]",
    ]);
  });

  it("reports what was done and what was not when a change fails half-way; the next plan shows the rest", async () => {
    const name = `Half ${suffix}`;
    const text = (url: string) => `apiVersion: meridian/v1
apis:
  - name: ${name}
    version: v1
    context: /half-${suffix}
    definition: a.json
    documents:
      - title: Elsewhere
        url: ${url}
`;
    // A link Meridian refuses (not http or https) is only found when the document is written.
    const result = await applyProject({ project: text("ftp://example.com/guide"), files: { "a.json": doc(["/a"]) } }, ctx);
    expect(result.ok).toBe(false);
    expect(result.done.map((c) => `${c.kind}:${c.target}`)).toEqual([`api:${name}@v1`]);
    expect(result.failed).toMatchObject({ kind: "document", target: `${name}@v1: Elsewhere`, error: { code: "validation_failed" } });
    expect(result.notDone.map((c) => c.kind)).toEqual(["revision"]);
    const next = await planProject({ project: text("https://example.com/guide"), files: { "a.json": doc(["/a"]) } }, ctx);
    expect(next.changes.map((c) => `${c.kind}:${c.action}`)).toEqual(["document:create", "revision:revision"]);
  });
});
