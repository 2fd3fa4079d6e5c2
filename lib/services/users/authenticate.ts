import { and, count, eq, gt } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { authAttempts, users } from "@/lib/db/schema";
import { burnPasswordCheck, verifyPassword } from "@/lib/crypto/hash";
import { emailSchema } from "@/lib/domain/password";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import type { Actor } from "@/lib/services/context";
import { isRole } from "@/lib/auth/permissions";

export const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 20;

const INVALID = "Invalid email or password.";

/**
 * Checks email and password. Every failure says the same thing, whether the email exists or
 * not, and failures are counted per email and per address within a sliding window.
 */
export async function authenticate(input: { email: unknown; password: unknown; ip?: string }): Promise<Actor> {
  const ip = input.ip || "unknown";
  const emailParse = emailSchema.safeParse(input.email);
  const password = typeof input.password === "string" ? input.password : "";
  const email = emailParse.success
    ? emailParse.data
    : String(input.email ?? "")
        .slice(0, 254)
        .toLowerCase();
  const db = await getDb();
  const since = new Date(Date.now() - ATTEMPT_WINDOW_MS);
  const [[byEmail], [byIp]] = await Promise.all([
    db
      .select({ n: count() })
      .from(authAttempts)
      .where(and(eq(authAttempts.email, email), eq(authAttempts.success, false), gt(authAttempts.at, since))),
    db
      .select({ n: count() })
      .from(authAttempts)
      .where(and(eq(authAttempts.ip, ip), eq(authAttempts.success, false), gt(authAttempts.at, since))),
  ]);
  if (byEmail.n >= MAX_FAILURES_PER_EMAIL || byIp.n >= MAX_FAILURES_PER_IP) {
    throw new AppError("too_many_attempts", "Too many failed sign-in attempts. Wait 15 minutes and try again.");
  }
  const [user] = emailParse.success ? await db.select().from(users).where(eq(users.email, email)).limit(1) : [];
  let ok = false;
  if (user?.passwordHash) ok = await verifyPassword(user.passwordHash, password);
  else await burnPasswordCheck(password);
  await db.insert(authAttempts).values({ id: newId("req"), email, ip, success: ok && !user?.disabled });
  if (!ok || !user) throw new AppError("invalid_credentials", INVALID);
  if (user.disabled) throw new AppError("user_disabled", "This account is disabled. Ask an administrator.");
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  return { id: user.id, email: user.email, roles: user.roles.filter(isRole) };
}

/** The current state of a user, for sessions and tokens: roles can change after sign-in. */
export async function loadActor(userId: string): Promise<Actor | null> {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, roles: user.roles.filter(isRole) };
}
