import { and, eq, gt, isNull } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { invitations, users } from "@/lib/db/schema";
import { hashPassword, hashToken } from "@/lib/crypto/hash";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/services/validate";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { acceptInvitationSchema } from "./schemas";
import { toPublicUser, type PublicUser } from "./user-dto";

async function findOpenInvitation(token: string) {
  const db = await getDb();
  const [row] = await db
    .select({ invitation: invitations, user: users })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .where(and(eq(invitations.tokenHash, hashToken(token)), isNull(invitations.acceptedAt), gt(invitations.expiresAt, new Date())))
    .limit(1);
  return row;
}

/** For the invitation page: whose invitation this is, without accepting it. */
export async function getInvitation(token: string): Promise<{ email: string; name: string } | null> {
  const row = await findOpenInvitation(token);
  return row ? { email: row.user.email, name: row.user.name } : null;
}

export async function acceptInvitation(input: unknown, ctx: ServiceContext): Promise<PublicUser> {
  const values = parseInput(acceptInvitationSchema, input);
  const row = await findOpenInvitation(values.token);
  if (!row) throw new AppError("not_found", "This invitation is invalid, used or expired. Ask an administrator for a new one.");
  const passwordHash = await hashPassword(values.password);
  const db = await getDb();
  return db.transaction(async (tx) => {
    // The acceptedAt guard makes a second, concurrent acceptance update nothing.
    const accepted = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitations.id, row.invitation.id), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id });
    if (accepted.length === 0) throw new AppError("conflict", "This invitation was just used.");
    const [user] = await tx
      .update(users)
      .set({ passwordHash, ...(values.name ? { name: values.name } : {}) })
      .where(eq(users.id, row.user.id))
      .returning();
    await writeAudit(
      tx,
      { ...ctx, actor: { id: user.id, email: user.email, roles: [] } },
      { action: "user.accept_invitation", objectType: "user", objectId: user.id },
    );
    return toPublicUser(user);
  });
}
