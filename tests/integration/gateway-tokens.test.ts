import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getSnapshot } from "@/app/api/gateway/v1/snapshot/route";
import { closeDb, getDb } from "@/lib/db/client";
import { gatewayTokens } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { DEFAULT_ENVIRONMENT, ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { getEnvironment } from "@/lib/services/environments/get-environment";
import { createGatewayToken } from "@/lib/services/gateways/create-gateway-token";
import { ensureLocalGatewayToken } from "@/lib/services/gateways/ensure-local-gateway-token";
import { listGatewayTokens } from "@/lib/services/gateways/list-gateway-tokens";
import { revokeGatewayToken } from "@/lib/services/gateways/revoke-gateway-token";
import { revokeGatewayTokenById } from "@/lib/services/gateways/revoke-gateway-token-by-id";
import { rotateGatewayToken } from "@/lib/services/gateways/rotate-gateway-token";
import { recordHeartbeat } from "@/lib/services/gateways/record-heartbeat";
import { authenticateGateway, verifyGatewayToken } from "@/lib/services/gateways/verify-gateway-token";
import { adminCtx, userContext } from "../helpers";

beforeAll(() => getDb());
afterAll(() => closeDb());

const uniqueName = (label = "gw") => `${label}-${randomBytes(4).toString("hex")}`;
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-gwt-"));
  tempDirs.push(dir);
  return dir;
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

/** One snapshot poll of a gateway, as the gateway makes it. */
async function poll(token: string): Promise<number> {
  const res = await getSnapshot(new Request("http://localhost/api/gateway/v1/snapshot", { headers: { authorization: `Bearer ${token}` } }));
  return res.status;
}

/** A heartbeat as the sync API records it (app/api/gateway/v1/heartbeat): 401 for a bad token. */
async function heartbeat(token: string, instanceId: string): Promise<number> {
  try {
    const { environment, tokenId } = await authenticateGateway(token);
    await recordHeartbeat(environment.id, { instanceId, region: "eu", appliedVersion: 0 }, tokenId);
    return 200;
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_token") return 401;
    throw error;
  }
}

/** What `npm start` does with gateway tokens each time it starts (scripts/start.ts). */
async function startPath(dir: string): Promise<string> {
  await ensureDefaults();
  return ensureLocalGatewayToken(DEFAULT_ENVIRONMENT.name, dir);
}

describe("named gateway tokens", () => {
  it("let two standalone gateways on the default environment survive restarts of npm start", async () => {
    const dir = dataDir();
    const local = await startPath(dir);
    // A standalone gateway given the environment's token through the single-token endpoint,
    // and another given a named token of its own.
    const legacy = await rotateGatewayToken(DEFAULT_ENVIRONMENT.name, adminCtx);
    const named = await createGatewayToken(DEFAULT_ENVIRONMENT.name, { name: uniqueName("edge") }, adminCtx);
    expect([await poll(local), await poll(legacy.token), await poll(named.token)]).toEqual([200, 200, 200]);

    // Restart with the same data directory: the launcher reuses its own token.
    expect(await startPath(dir)).toBe(local);
    // Restart from an empty data directory (a new host or a wiped volume): the launcher issues
    // another token of its own and revokes none.
    const fresh = await startPath(dataDir());
    expect(fresh).not.toBe(local);
    expect([await poll(legacy.token), await poll(named.token), await poll(fresh), await poll(local)]).toEqual([200, 200, 200, 200]);
    expect([await heartbeat(legacy.token, "edge-a"), await heartbeat(named.token, "edge-b")]).toEqual([200, 200]);
  });

  it("are revoked one at a time: only the gateways of the revoked token are cut off", async () => {
    const name = uniqueName();
    await createEnvironment({ name, type: "builtin" }, adminCtx);
    const a = await createGatewayToken(name, { name: "eu-west" }, adminCtx);
    const b = await createGatewayToken(name, { name: "us-east" }, adminCtx);
    expect(a.token).toMatch(/^mgw_[A-Za-z0-9_-]{40,}$/);
    expect(a.id).toMatch(/^gwt_/);
    expect(await heartbeat(a.token, "eu-1")).toBe(200);
    expect(await heartbeat(a.token, "eu-2")).toBe(200);
    expect(await heartbeat(b.token, "us-1")).toBe(200);

    const list = await listGatewayTokens(name, adminCtx);
    expect(list.items.map((t) => [t.name, t.prefix, t.instances.map((i) => i.instanceId).sort()])).toEqual([
      ["eu-west", a.prefix, ["eu-1", "eu-2"]],
      ["us-east", b.prefix, ["us-1"]],
    ]);
    expect(JSON.stringify(list)).not.toContain(a.token);
    const db = await getDb();
    const stored = await db.select().from(gatewayTokens).where(eq(gatewayTokens.id, a.id));
    expect(stored[0].tokenHash).not.toContain(a.token.slice(4));

    await revokeGatewayTokenById(name, a.id, adminCtx);
    expect([await poll(a.token), await poll(b.token)]).toEqual([401, 200]);
    expect((await failure(verifyGatewayToken(a.token))).code).toBe("invalid_token");
    expect((await listGatewayTokens(name, adminCtx)).items.map((t) => t.name)).toEqual(["us-east"]);
    expect((await failure(revokeGatewayTokenById(name, a.id, adminCtx))).code).toBe("not_found");
  });

  it("keep the single-token endpoint's contract on the token named primary, without touching the others", async () => {
    const name = uniqueName();
    await createEnvironment({ name, type: "agent" }, adminCtx);
    const other = await createGatewayToken(name, { name: "replica group a" }, adminCtx);
    const first = await rotateGatewayToken(name, adminCtx);
    expect((await getEnvironment(name, adminCtx)).gatewayToken?.prefix).toBe(first.prefix);
    const second = await rotateGatewayToken(name, adminCtx);
    expect([await poll(first.token), await poll(second.token), await poll(other.token)]).toEqual([401, 200, 200]);
    await revokeGatewayToken(name, adminCtx);
    expect([await poll(second.token), await poll(other.token)]).toEqual([401, 200]);
    expect((await getEnvironment(name, adminCtx)).gatewayToken).toBeNull();
  });

  it("have unique names per environment, exist only for pull gateways, and only admins issue them", async () => {
    const name = uniqueName();
    await createEnvironment({ name, type: "builtin" }, adminCtx);
    await createGatewayToken(name, { name: "edge" }, adminCtx);
    expect((await failure(createGatewayToken(name, { name: "edge" }, adminCtx))).code).toBe("conflict");
    expect((await failure(createGatewayToken(name, { name: "" }, adminCtx))).fieldErrors).toHaveProperty("name");
    expect((await failure(createGatewayToken(name, { name: "x" }, await userContext(["publisher"])))).code).toBe("forbidden");
    const kong = uniqueName("kong");
    await createEnvironment({ name: kong, type: "kong", config: { adminUrl: "http://kong:8001" } }, adminCtx);
    expect((await failure(createGatewayToken(kong, { name: "edge" }, adminCtx))).code).toBe("conflict");
  });
});
