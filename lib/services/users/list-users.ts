import { and, arrayContains, asc, count, eq, ilike, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { users } from "@/lib/db/schema";
import { escapeLike } from "@/lib/services/audit/list-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { offsetOf, paginationSchema, type Page } from "@/lib/services/pagination";
import { toPublicUser, type PublicUser } from "./user-dto";

export const listUsersSchema = paginationSchema.extend({
  q: z.string().trim().max(200).optional(),
  role: z.enum(ROLES).optional(),
});

export async function listUsers(input: z.input<typeof listUsersSchema>, ctx: ServiceContext): Promise<Page<PublicUser>> {
  assertCan(ctx, "users:read");
  const q = parseInput(listUsersSchema, input);
  const where: SQL[] = [];
  if (q.q) where.push(or(ilike(users.email, `%${escapeLike(q.q)}%`), ilike(users.name, `%${escapeLike(q.q)}%`))!);
  if (q.role) where.push(arrayContains(users.roles, [q.role]));
  const filter = where.length ? and(...where) : undefined;
  const db = await getDb();
  const [rows, [{ total }]] = await Promise.all([
    db.select().from(users).where(filter).orderBy(asc(users.email)).limit(q.pageSize).offset(offsetOf(q)),
    db.select({ total: count() }).from(users).where(filter),
  ]);
  return { items: rows.map(toPublicUser), total, page: q.page, pageSize: q.pageSize };
}

export async function getUserOrThrow(id: string): Promise<PublicUser> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!row) {
    throw new AppError("not_found", "No such user.");
  }
  return toPublicUser(row);
}
