import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { invitations, users } from "@/lib/db/schema";
import { hashPassword, hashToken, randomToken } from "@/lib/crypto/hash";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/services/validate";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { createUserSchema } from "./schemas";
import { toPublicUser, type PublicUser } from "./user-dto";

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface CreatedUser {
  user: PublicUser;
  /** Present when the user was invited: the secret part of the invitation link, shown once. */
  invitationToken?: string;
}

/** An admin creates a user with a password, or invites them to set one. */
export async function createUser(input: unknown, ctx: ServiceContext): Promise<CreatedUser> {
  assertCan(ctx, "users:write");
  const values = parseInput(createUserSchema, input);
  const { email, name, roles, password } = values;
  const passwordHash = password ? await hashPassword(password) : null;
  const invitationToken = password ? undefined : randomToken(32);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ id: newId("usr"), email, name, passwordHash, roles })
        .returning();
      if (invitationToken) {
        await tx.insert(invitations).values({
          id: newId("inv"),
          userId: user.id,
          tokenHash: hashToken(invitationToken),
          expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
          createdBy: ctx.actor?.id,
        });
      }
      await writeAudit(tx, ctx, {
        action: invitationToken ? "user.invite" : "user.create",
        objectType: "user",
        objectId: user.id,
        details: { email, roles },
      });
      return { user: toPublicUser(user), invitationToken };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("email_taken", "A user with this email already exists.", {
        fieldErrors: { email: "A user with this email already exists." },
      });
    throw error;
  }
}
