import { afterAll } from "vitest";

// Tests run on an in-memory embedded database unless DATABASE_URL names a PostgreSQL server.
if (!process.env.DATABASE_URL) process.env.MERIDIAN_DATA_DIR = "memory://";
// Explicit secrets, as Meridian requires on a PostgreSQL server (processes the tests start inherit them).
process.env.MERIDIAN_SECRET_KEY ??= "0".repeat(64);
process.env.NEXTAUTH_SECRET ??= "test-nextauth-secret-0123456789abcdef";

// A worker may run several test files in one process: closing the database after each file
// gives the next one a fresh in-memory database instead of the previous file's data.
afterAll(async () => {
  const { closeDb } = await import("@/lib/db/client");
  await closeDb();
});
