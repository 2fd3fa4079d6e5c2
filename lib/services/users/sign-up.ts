import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { users } from "@/lib/db/schema";
import { hashPassword } from "@/lib/crypto/hash";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/services/validate";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { getSettings } from "@/lib/services/settings/get-settings";
import { signUpSchema } from "./schemas";
import { toPublicUser, type PublicUser } from "./user-dto";

/** Self sign-up in the developer portal: always a subscriber, and only while the setting allows it. */
export async function signUp(input: unknown, ctx: ServiceContext): Promise<PublicUser> {
  const values = parseInput(signUpSchema, input);
  const { email, name, password } = values;
  if (!(await getSettings()).selfSignup)
    throw new AppError("signup_disabled", "Self sign-up is turned off. Ask an administrator for an invitation.");
  const passwordHash = await hashPassword(password);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ id: newId("usr"), email, name, passwordHash, roles: ["subscriber"] })
        .returning();
      await writeAudit(
        tx,
        { ...ctx, actor: { id: user.id, email, roles: ["subscriber"] } },
        { action: "user.sign_up", objectType: "user", objectId: user.id },
      );
      return toPublicUser(user);
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("email_taken", "An account with this email already exists.", {
        fieldErrors: { email: "An account with this email already exists." },
      });
    throw error;
  }
}
