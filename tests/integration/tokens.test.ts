import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { auditEntries, personalAccessTokens } from "@/lib/db/schema";
import { hashToken } from "@/lib/crypto/hash";
import { createToken } from "@/lib/services/tokens/create-token";
import { listTokens } from "@/lib/services/tokens/list-tokens";
import { revokeToken } from "@/lib/services/tokens/revoke-token";
import { verifyToken } from "@/lib/services/tokens/verify-token";
import { updateUser } from "@/lib/services/users/update-user";
import { adminCtx, userContext } from "../helpers";

afterAll(() => closeDb());

describe("personal access tokens", () => {
  it("are stored hashed, verify to their user and are audited", async () => {
    const ctx = await userContext(["publisher"]);
    const { token, record } = await createToken({ name: "ci" }, ctx);
    expect(token).toMatch(/^mpat_/);
    const db = await getDb();
    const [row] = await db.select().from(personalAccessTokens).where(eq(personalAccessTokens.id, record.id));
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(await verifyToken(token)).toMatchObject({ id: ctx.actor!.id, roles: ["publisher"] });
    const audit = await db.select().from(auditEntries).where(eq(auditEntries.objectId, record.id));
    expect(audit.map((a) => a.action)).toEqual(["token.create"]);
  });

  it("stop working when revoked, expired, or when the user is disabled", async () => {
    const ctx = await userContext(["subscriber"]);
    const revoked = await createToken({ name: "a" }, ctx);
    await revokeToken(revoked.record.id, ctx);
    await expect(verifyToken(revoked.token)).rejects.toMatchObject({ code: "invalid_token" });

    const expiring = await createToken({ name: "b", expiresInDays: 1 }, ctx);
    const db = await getDb();
    await db
      .update(personalAccessTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(personalAccessTokens.id, expiring.record.id));
    await expect(verifyToken(expiring.token)).rejects.toMatchObject({ code: "invalid_token" });

    const live = await createToken({ name: "c" }, ctx);
    await updateUser(ctx.actor!.id, { disabled: true }, adminCtx);
    await expect(verifyToken(live.token)).rejects.toMatchObject({ code: "invalid_token" });

    const statuses = Object.fromEntries((await listTokens(ctx)).map((t) => [t.name, t.status]));
    expect(statuses).toEqual({ a: "revoked", b: "expired", c: "active" });
  });

  it("refuses malformed tokens and another user's revocation", async () => {
    await expect(verifyToken("mpat_nope")).rejects.toMatchObject({ code: "invalid_token" });
    await expect(verifyToken("garbage")).rejects.toMatchObject({ code: "invalid_token" });
    const owner = await userContext(["publisher"]);
    const other = await userContext(["publisher"]);
    const { record } = await createToken({ name: "mine" }, owner);
    await expect(revokeToken(record.id, other)).rejects.toMatchObject({ code: "not_found" });
  });

  it("validates the name and the expiry", async () => {
    const ctx = await userContext(["publisher"]);
    await expect(createToken({ name: "" }, ctx)).rejects.toMatchObject({ code: "validation_failed" });
    await expect(createToken({ name: "x", expiresInDays: 0 }, ctx)).rejects.toMatchObject({ code: "validation_failed" });
  });
});
