import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { config } from "@/lib/config";
import { logger } from "@/lib/log";
import * as schema from "./schema";
import { openEmbeddedServer, type EmbeddedServer } from "./embedded";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the database or a transaction: services accept both. */
export type DbOrTx = Db | Tx;

interface DbState {
  db: Db;
  kind: "postgres" | "embedded" | "memory";
  close: () => Promise<void>;
}

// One instance per process, kept on globalThis because Next.js may load this module in
// more than one bundle; two PGlite instances on one directory would corrupt it.
const globalKey = Symbol.for("meridian.db");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<DbState> };
const g = globalThis as GlobalWithDb;

export const MIGRATIONS_DIR = path.resolve(/*turbopackIgnore: true*/ process.env.MERIDIAN_MIGRATIONS_DIR || "drizzle");

async function connectPostgres(url: string, kind: DbState["kind"], embedded?: EmbeddedServer): Promise<DbState> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const max = Number(process.env.MERIDIAN_DB_POOL || (kind === "embedded" ? 8 : 10));
  // The embedded database is one shared session: unnamed statements only (see embedded-socket.ts).
  const client = postgres(url, { max, onnotice: () => {}, idle_timeout: 30, prepare: kind !== "embedded" });
  const db = drizzle(client, { schema }) as unknown as Db;
  if (process.env.MERIDIAN_SKIP_MIGRATE !== "1") {
    // An advisory lock keeps replicas that start together from migrating twice.
    const migrator = postgres(url, { max: 1, onnotice: () => {}, prepare: kind !== "embedded" });
    try {
      await migrator`select pg_advisory_lock(727274)`;
      await migrate(drizzle(migrator), { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await migrator`select pg_advisory_unlock(727274)`.catch(() => {});
      await migrator.end();
    }
  }
  return {
    db,
    kind,
    close: async () => {
      await client.end({ timeout: 5 });
      await embedded?.stop?.();
    },
  };
}

async function connectMemory(): Promise<DbState> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = await PGlite.create();
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return { db: db as unknown as Db, kind: "memory", close: () => client.close() };
}

async function connect(): Promise<DbState> {
  const url = config.databaseUrl;
  if (url) return connectPostgres(url, "postgres");
  // Set by `npm start` for its children: the embedded database it serves.
  if (process.env.MERIDIAN_EMBEDDED_URL) return connectPostgres(process.env.MERIDIAN_EMBEDDED_URL, "embedded");
  if (process.env.MERIDIAN_DATA_DIR === "memory://") return connectMemory();
  const embedded = await openEmbeddedServer(path.join(config.dataDir, "db"));
  if (embedded.stop) logger.info({ url: embedded.url.replace(/:[^:@/]+@/, ":***@") }, "embedded database served");
  return connectPostgres(embedded.url, "embedded", embedded);
}

function state(): Promise<DbState> {
  if (!g[globalKey]) {
    g[globalKey] = connect().catch((error) => {
      g[globalKey] = undefined;
      throw error;
    });
  }
  return g[globalKey]!;
}

/** The process's database, migrated. */
export async function getDb(): Promise<Db> {
  return (await state()).db;
}

export async function getDbKind(): Promise<DbState["kind"]> {
  return (await state()).kind;
}

export async function closeDb(): Promise<void> {
  const current = g[globalKey];
  g[globalKey] = undefined;
  if (current) await (await current).close();
}
