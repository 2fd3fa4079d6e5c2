import { and, eq, getTableColumns, inArray, ne, or } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { apis, users, type ApiRow } from "@/lib/db/schema";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { Actor, ServiceContext } from "@/lib/services/context";
import { assertCan } from "@/lib/services/context";
import type { ApiOwner } from "./api-dto";

/** Admins (apis:all) see every API; a publisher sees the APIs they own or co-own. */
export function canSeeAllApis(actor: Actor): boolean {
  return can(actor.roles, "apis:all");
}

export function isOwner(actor: Actor, row: Pick<ApiRow, "owners">): boolean {
  return canSeeAllApis(actor) || row.owners.includes(actor.id);
}

const { definition: _definition, definitionSource: _source, operations: _operations, ...metaColumns } = getTableColumns(apis);

/** Every column but the document, its text and the operations list, which can weigh megabytes. */
export const apiMetaColumns = metaColumns;
export type ApiMetaRow = Omit<ApiRow, "definition" | "definitionSource" | "operations">;

interface LoadOptions {
  write?: boolean;
  lock?: boolean;
}

function assertOwner<T extends Pick<ApiRow, "owners">>(actor: Actor, api: T | undefined): T {
  if (!api || !isOwner(actor, api)) throw new AppError("not_found", "No such API, or it is not yours.");
  return api;
}

/**
 * Loads an API the caller may act on, or fails. Someone else's API answers "not found" rather
 * than "forbidden", so that ids do not reveal which APIs exist. `lock` takes the row lock that
 * serializes changes (revision numbers, lifecycle, settings). Reads the small columns only.
 */
export async function loadApiForActor(
  db: DbOrTx,
  id: string,
  ctx: ServiceContext,
  options: LoadOptions = {},
): Promise<{ actor: Actor; api: ApiMetaRow }> {
  const actor = assertCan(ctx, options.write ? "apis:write" : "apis:read");
  const query = db.select(metaColumns).from(apis).where(eq(apis.id, id)).limit(1);
  const [api] = options.lock ? await query.for("update") : await query;
  return { actor, api: assertOwner(actor, api) };
}

/** As loadApiForActor, with the document, its text and the operations. */
export async function loadFullApiForActor(
  db: DbOrTx,
  id: string,
  ctx: ServiceContext,
  options: LoadOptions = {},
): Promise<{ actor: Actor; api: ApiRow }> {
  const actor = assertCan(ctx, options.write ? "apis:write" : "apis:read");
  const query = db.select().from(apis).where(eq(apis.id, id)).limit(1);
  const [api] = options.lock ? await query.for("update") : await query;
  return { actor, api: assertOwner(actor, api) };
}

export async function ownersOf(db: DbOrTx, ids: string[]): Promise<ApiOwner[]> {
  if (ids.length === 0) return [];
  const rows = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(inArray(users.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => ({ id, email: byId.get(id)?.email ?? null, name: byId.get(id)?.name ?? null }));
}

/**
 * Owners are given as user ids or emails; each must be an enabled user who may publish.
 * Returns user ids in the given order.
 */
export async function resolveOwners(db: DbOrTx, given: string[]): Promise<string[]> {
  const emails = given.filter((g) => g.includes("@")).map((e) => e.toLowerCase());
  const ids = given.filter((g) => !g.includes("@"));
  const rows = await db
    .select({ id: users.id, email: users.email, roles: users.roles, disabled: users.disabled })
    .from(users)
    .where(or(emails.length ? inArray(users.email, emails) : undefined, ids.length ? inArray(users.id, ids) : undefined));
  const resolved: string[] = [];
  for (const g of given) {
    const row = g.includes("@") ? rows.find((r) => r.email === g.toLowerCase()) : rows.find((r) => r.id === g);
    if (!row) throw new AppError("validation_failed", `No user ${g}.`, { fieldErrors: { owners: `No user ${g}.` } });
    if (row.disabled || !can(row.roles, "apis:write")) {
      throw new AppError("validation_failed", `${row.email} cannot own APIs: owners need the publisher role.`, {
        fieldErrors: { owners: `${row.email} cannot own APIs: owners need the publisher role.` },
      });
    }
    if (!resolved.includes(row.id)) resolved.push(row.id);
  }
  return resolved;
}

/** The API that already holds a context and version, for the 409 message. */
export async function contextHolder(
  db: DbOrTx,
  context: string,
  version: string,
  exceptId?: string,
): Promise<{ id: string; name: string } | undefined> {
  const [row] = await db
    .select({ id: apis.id, name: apis.name })
    .from(apis)
    .where(and(eq(apis.context, context), eq(apis.version, version), exceptId ? ne(apis.id, exceptId) : undefined))
    .limit(1);
  return row;
}

export function contextTakenError(context: string, version: string, holder: { id: string; name: string } | undefined): AppError {
  const who = holder ? `the API "${holder.name}" (${holder.id})` : "another API";
  const message = `The context ${context} is already used by ${who} in version ${version}. Choose another context or version.`;
  return new AppError("conflict", message, { fieldErrors: { context: message }, extra: holder ? { conflictingApi: holder } : undefined });
}
