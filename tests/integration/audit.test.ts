import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { auditEntries, users } from "@/lib/db/schema";
import { listAudit } from "@/lib/services/audit/list-audit";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { adminCtx, uniqueEmail, userContext } from "../helpers";

afterAll(() => closeDb());

describe("audit log", () => {
  it("is written in the same transaction: a failed change leaves no entry", async () => {
    const db = await getDb();
    const objectId = `usr_rollback_${Date.now()}`;
    await expect(
      db.transaction(async (tx) => {
        await writeAudit(tx, adminCtx, { action: "user.create", objectType: "user", objectId });
        await tx.insert(users).values({ id: objectId, email: uniqueEmail() });
        throw new Error("fails after the audit row");
      }),
    ).rejects.toThrow("fails after");
    expect(await db.select().from(auditEntries).where(eq(auditEntries.objectId, objectId))).toHaveLength(0);
  });

  it("filters by actor, object, action and time, and is admin-only", async () => {
    const actorCtx = await userContext(["admin"], "auditor");
    const objectId = `obj_${Date.now()}`;
    const db = await getDb();
    await writeAudit(db, actorCtx, { action: "thing.create", objectType: "thing", objectId });
    await writeAudit(db, actorCtx, { action: "thing.delete", objectType: "thing", objectId });
    const byObject = await listAudit({ objectType: "thing", objectId }, adminCtx);
    expect(byObject.items.map((e) => e.action)).toEqual(["thing.delete", "thing.create"]);
    // Entries written in one transaction share its timestamp; they still list newest first.
    const batchId = `obj_batch_${Date.now()}`;
    const steps = ["thing.step1", "thing.step2", "thing.step3", "thing.step4", "thing.step5"];
    await db.transaction(async (tx) => {
      for (const action of steps) await writeAudit(tx, actorCtx, { action, objectType: "thing", objectId: batchId });
    });
    const batch = await listAudit({ objectType: "thing", objectId: batchId }, adminCtx);
    expect(batch.items.map((e) => e.action)).toEqual([...steps].reverse());
    expect(batch.items[0]).not.toHaveProperty("seq");
    const byAction = await listAudit({ objectId, action: "thing.del" }, adminCtx);
    expect(byAction.total).toBe(1);
    const byActor = await listAudit({ actor: actorCtx.actor!.email, objectId }, adminCtx);
    expect(byActor.total).toBe(2);
    const future = await listAudit({ objectId, from: new Date(Date.now() + 3600_000) }, adminCtx);
    expect(future.total).toBe(0);
    const publisher = await userContext(["publisher"]);
    await expect(listAudit({}, publisher)).rejects.toMatchObject({ code: "forbidden" });
  });
});
