import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { auditEntries, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { acceptInvitation, getInvitation } from "@/lib/services/users/accept-invitation";
import { authenticate, MAX_FAILURES_PER_EMAIL } from "@/lib/services/users/authenticate";
import { createUser } from "@/lib/services/users/create-user";
import { listUsers } from "@/lib/services/users/list-users";
import { signUp } from "@/lib/services/users/sign-up";
import { updateUser } from "@/lib/services/users/update-user";
import { updateSettings } from "@/lib/services/settings/update-settings";
import { ensureFirstAdmin } from "@/lib/services/users/ensure-first-admin";
import { adminCtx, STRONG_PASSWORD, uniqueEmail, userContext } from "../helpers";

afterAll(() => closeDb());

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return "no error";
}

describe("sign-up", () => {
  it("creates a subscriber and writes an audit entry", async () => {
    const email = uniqueEmail("signup");
    const user = await signUp({ email: email.toUpperCase(), password: STRONG_PASSWORD, name: "Sam" }, { actor: null });
    expect(user.email).toBe(email);
    expect(user.roles).toEqual(["subscriber"]);
    expect(JSON.stringify(user)).not.toContain("argon2");
    const db = await getDb();
    const entries = await db.select().from(auditEntries).where(eq(auditEntries.objectId, user.id));
    expect(entries.map((e) => e.action)).toEqual(["user.sign_up"]);
  });

  it("refuses a duplicate email with a field error and writes nothing", async () => {
    const email = uniqueEmail("dup");
    await signUp({ email, password: STRONG_PASSWORD }, { actor: null });
    const error = await signUp({ email, password: STRONG_PASSWORD }, { actor: null }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("email_taken");
    expect(error.fieldErrors.email).toMatch(/already exists/);
    const db = await getDb();
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
  });

  it("refuses weak passwords and malformed emails on the field", async () => {
    const weak = await signUp({ email: uniqueEmail(), password: "short" }, { actor: null }).catch((e) => e);
    expect(weak.code).toBe("validation_failed");
    expect(weak.fieldErrors.password).toMatch(/10 characters/);
    const malformed = await signUp({ email: "not-an-email", password: STRONG_PASSWORD }, { actor: null }).catch((e) => e);
    expect(malformed.fieldErrors.email).toMatch(/valid email/);
  });

  it("is refused while the admin setting turns it off", async () => {
    await updateSettings({ selfSignup: false }, adminCtx);
    try {
      expect(await codeOf(signUp({ email: uniqueEmail(), password: STRONG_PASSWORD }, { actor: null }))).toBe("signup_disabled");
    } finally {
      await updateSettings({ selfSignup: true }, adminCtx);
    }
  });
});

describe("authenticate", () => {
  it("accepts the right password and says the same for a wrong password and an unknown email", async () => {
    const ctx = await userContext(["publisher"]);
    const actor = await authenticate({ email: ctx.actor!.email, password: STRONG_PASSWORD, ip: "10.0.0.1" });
    expect(actor.roles).toEqual(["publisher"]);
    const wrong = await authenticate({ email: ctx.actor!.email, password: "wrong-password-1", ip: "10.0.0.1" }).catch((e) => e);
    const unknown = await authenticate({ email: uniqueEmail("ghost"), password: "wrong-password-1", ip: "10.0.0.1" }).catch((e) => e);
    expect(wrong.message).toBe(unknown.message);
    expect(wrong.code).toBe("invalid_credentials");
  });

  it("locks an email after repeated failures, even with the right password", async () => {
    const ctx = await userContext(["subscriber"]);
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) {
      expect(await codeOf(authenticate({ email: ctx.actor!.email, password: "nope-nope-nope-1", ip: `10.1.0.${i}` }))).toBe(
        "invalid_credentials",
      );
    }
    expect(await codeOf(authenticate({ email: ctx.actor!.email, password: STRONG_PASSWORD, ip: "10.1.1.1" }))).toBe("too_many_attempts");
  });

  it("refuses a disabled user", async () => {
    const ctx = await userContext(["subscriber"]);
    await updateUser(ctx.actor!.id, { disabled: true }, adminCtx);
    expect(await codeOf(authenticate({ email: ctx.actor!.email, password: STRONG_PASSWORD, ip: "10.2.0.1" }))).toBe("user_disabled");
  });
});

describe("admin user management", () => {
  it("invites a user who then sets a password once", async () => {
    const email = uniqueEmail("invitee");
    const { user, invitationToken } = await createUser({ email, roles: ["publisher"] }, adminCtx);
    expect(user.invited).toBe(true);
    expect(invitationToken).toBeTruthy();
    expect(await getInvitation(invitationToken!)).toMatchObject({ email });
    await acceptInvitation({ token: invitationToken, password: STRONG_PASSWORD }, { actor: null });
    expect(await codeOf(acceptInvitation({ token: invitationToken, password: STRONG_PASSWORD }, { actor: null }))).toBe("not_found");
    const actor = await authenticate({ email, password: STRONG_PASSWORD, ip: "10.3.0.1" });
    expect(actor.roles).toEqual(["publisher"]);
  });

  it("is refused to non-admins", async () => {
    const publisher = await userContext(["publisher"]);
    expect(await codeOf(createUser({ email: uniqueEmail(), roles: ["admin"], password: STRONG_PASSWORD }, publisher))).toBe("forbidden");
    expect(await codeOf(listUsers({}, publisher))).toBe("forbidden");
    expect(await codeOf(listUsers({}, { actor: null }))).toBe("unauthenticated");
  });

  it("assigns roles, searches and paginates", async () => {
    const ctx = await userContext(["subscriber"], "roleswap");
    const updated = await updateUser(ctx.actor!.id, { roles: ["subscriber", "publisher"] }, adminCtx);
    expect(updated.roles.sort()).toEqual(["publisher", "subscriber"]);
    const page = await listUsers({ q: ctx.actor!.email, pageSize: 5 }, adminCtx);
    expect(page.items.map((u) => u.id)).toEqual([ctx.actor!.id]);
    expect(await codeOf(listUsers({ pageSize: 1000 }, adminCtx))).not.toBe("no error");
  });

  it("keeps at least one active admin", async () => {
    const db = await getDb();
    await ensureFirstAdmin({ MERIDIAN_ADMIN_EMAIL: uniqueEmail("first"), MERIDIAN_ADMIN_PASSWORD: STRONG_PASSWORD });
    const admins = await listUsers({ role: "admin", pageSize: 100 }, adminCtx);
    // Disable every admin but one, then the last one must refuse.
    const active = admins.items.filter((u) => !u.disabled);
    for (const u of active.slice(1)) await updateUser(u.id, { disabled: true }, adminCtx);
    expect(await codeOf(updateUser(active[0].id, { disabled: true }, adminCtx))).toBe("conflict");
    const [still] = await db.select().from(users).where(eq(users.id, active[0].id));
    expect(still.disabled).toBe(false);
    for (const u of active.slice(1)) await updateUser(u.id, { disabled: false }, adminCtx);
  });
});

describe("first admin", () => {
  it("is created once with a generated password when none is configured", async () => {
    const db = await getDb();
    const anyAdmin = (await listUsers({ role: "admin" }, adminCtx)).total;
    const result = await ensureFirstAdmin({});
    if (anyAdmin > 0) {
      expect(result.created).toBe(false);
    } else {
      expect(result.generatedPassword).toBeTruthy();
      expect(await db.select().from(users).where(eq(users.email, "admin@localhost"))).toHaveLength(1);
    }
    expect((await ensureFirstAdmin({})).created).toBe(false);
  });
});
