import { asc, count, eq } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/lib/db/client";
import { BUILTIN_KEY_MANAGER_ID, keyManagers, type KeyManagerRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { offsetOf, paginationSchema, type Page } from "@/lib/services/pagination";
import { parseInput } from "@/lib/services/validate";
import { builtinKeyManagerView, toKeyManagerView, type KeyManagerView } from "./key-manager-dto";

export async function getKeyManagerRowOrThrow(id: string, tx?: DbOrTx): Promise<KeyManagerRow> {
  const db = tx ?? (await getDb());
  const [row] = await db.select().from(keyManagers).where(eq(keyManagers.id, id)).limit(1);
  if (!row) throw new AppError("not_found", "No such key manager.");
  return row;
}

export async function getKeyManager(id: string, ctx: ServiceContext): Promise<KeyManagerView> {
  assertCan(ctx, "environments:write");
  if (id === BUILTIN_KEY_MANAGER_ID) return builtinKeyManagerView();
  return toKeyManagerView(await getKeyManagerRowOrThrow(id));
}

/** The built-in key manager first, then the external ones by name; paginated. */
export async function listKeyManagers(query: unknown, ctx: ServiceContext): Promise<Page<KeyManagerView>> {
  assertCan(ctx, "environments:read");
  const page = parseInput(paginationSchema, query ?? {});
  const db = await getDb();
  const [{ total }] = await db.select({ total: count() }).from(keyManagers);
  // The built-in one takes the first place of the first page.
  const offset = offsetOf(page);
  const withBuiltin = offset === 0;
  const rows = await db
    .select()
    .from(keyManagers)
    .orderBy(asc(keyManagers.name))
    .limit(withBuiltin ? page.pageSize - 1 : page.pageSize)
    .offset(withBuiltin ? 0 : offset - 1);
  const items = [...(withBuiltin ? [builtinKeyManagerView()] : []), ...rows.map(toKeyManagerView)];
  return { items, total: total + 1, page: page.page, pageSize: page.pageSize };
}

export interface KeyManagerChoice {
  id: string;
  displayName: string;
  issuer: string;
  tokenEndpoint: string;
  dynamicRegistration: boolean;
}

/** External key managers a consumer may get credentials from (the first 100 by name). */
export async function listKeyManagerChoices(ctx: ServiceContext): Promise<KeyManagerChoice[]> {
  assertCan(ctx, "applications:write");
  const db = await getDb();
  const rows = await db.select().from(keyManagers).orderBy(asc(keyManagers.name)).limit(100);
  return rows.map((r) => ({
    id: r.id,
    displayName: r.displayName,
    issuer: r.issuer,
    tokenEndpoint: r.tokenEndpoint,
    dynamicRegistration: !!r.registrationEndpoint,
  }));
}
