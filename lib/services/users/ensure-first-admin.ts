import { arrayContains, count } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { hashPassword, randomToken } from "@/lib/crypto/hash";
import { emailSchema, passwordWeakness } from "@/lib/domain/password";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { systemContext } from "@/lib/services/context";

export interface FirstAdminResult {
  created: boolean;
  email?: string;
  /** Only when Meridian generated it: the caller prints it once. */
  generatedPassword?: string;
}

/**
 * On the very first start there is no admin: create one from MERIDIAN_ADMIN_EMAIL and
 * MERIDIAN_ADMIN_PASSWORD, or admin@localhost with a generated password.
 */
export async function ensureFirstAdmin(env: Record<string, string | undefined> = process.env): Promise<FirstAdminResult> {
  const db = await getDb();
  const [{ admins }] = await db
    .select({ admins: count() })
    .from(users)
    .where(arrayContains(users.roles, ["admin"]));
  if (admins > 0) return { created: false };
  const email = emailSchema.parse(env.MERIDIAN_ADMIN_EMAIL || "admin@localhost");
  let password = env.MERIDIAN_ADMIN_PASSWORD;
  let generatedPassword: string | undefined;
  if (password) {
    const weakness = passwordWeakness(password);
    if (weakness) throw new Error(`MERIDIAN_ADMIN_PASSWORD is too weak: ${weakness}`);
  } else {
    password = generatedPassword = randomToken(15);
  }
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const id = newId("usr");
    // An existing account with that email is promoted rather than duplicated.
    await tx
      .insert(users)
      .values({ id, email, name: "Administrator", passwordHash, roles: ["admin", "publisher", "subscriber"] })
      .onConflictDoUpdate({ target: users.email, set: { roles: ["admin", "publisher", "subscriber"], passwordHash, disabled: false } });
    await writeAudit(tx, systemContext, { action: "user.first_admin", objectType: "user", objectId: id, details: { email } });
  });
  return { created: true, email, generatedPassword };
}
