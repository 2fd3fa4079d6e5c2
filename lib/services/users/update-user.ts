import { and, arrayContains, count, eq, ne } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/services/validate";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { updateUserSchema } from "./schemas";
import { toPublicUser, type PublicUser } from "./user-dto";

/** Roles, name and the disabled flag. Refuses to leave the platform without an active admin. */
export async function updateUser(id: string, input: unknown, ctx: ServiceContext): Promise<PublicUser> {
  assertCan(ctx, "users:write");
  const values = parseInput(updateUserSchema, input);
  const patch = values;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(users).where(eq(users.id, id)).for("update").limit(1);
    if (!current) throw new AppError("not_found", "No such user.");
    const losesAdmin =
      current.roles.includes("admin") && !current.disabled && ((patch.roles && !patch.roles.includes("admin")) || patch.disabled === true);
    if (losesAdmin) {
      const [{ others }] = await tx
        .select({ others: count() })
        .from(users)
        .where(and(arrayContains(users.roles, ["admin"]), eq(users.disabled, false), ne(users.id, id)));
      if (others === 0) throw new AppError("conflict", "This is the last active admin: make another user admin first.");
    }
    const [user] = await tx.update(users).set(patch).where(eq(users.id, id)).returning();
    await writeAudit(tx, ctx, {
      action: patch.disabled === true ? "user.disable" : patch.disabled === false ? "user.enable" : "user.update",
      objectType: "user",
      objectId: id,
      details: patch,
    });
    return toPublicUser(user);
  });
}
