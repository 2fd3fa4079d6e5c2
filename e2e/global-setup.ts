import { closeDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { createUser } from "@/lib/services/users/create-user";
import { ADMIN, seedCtx } from "./fixtures";

/**
 * Runs once the server is up. The server creates the first admin only on an empty database;
 * on a shared PostgreSQL that already has admins, the e2e admin is made here.
 */
export default async function globalSetup(): Promise<void> {
  try {
    await createUser(
      { email: ADMIN.email, password: ADMIN.password, roles: ["admin", "publisher", "subscriber"], name: "E2E admin" },
      seedCtx,
    );
  } catch (error) {
    if (!isAppError(error) || error.code !== "email_taken") throw error;
  } finally {
    await closeDb();
  }
}
