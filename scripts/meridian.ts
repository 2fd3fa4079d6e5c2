/**
 * `npm run meridian -- <command>`: administration from the shell and from CI.
 *   token create --email <email> --name <name> [--expires-days <n>]   prints a personal access token
 *   plan | apply | export                                               APIs as code (see project-cli.ts)
 * With the embedded database it goes through the running Meridian when there is one.
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { closeDb, getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { isAppError } from "@/lib/errors";
import { isRole } from "@/lib/auth/permissions";
import { createToken } from "@/lib/services/tokens/create-token";
import { PROJECT_USAGE, runProjectCommand } from "./project-cli";

const USAGE = `Usage:
  npm run meridian -- token create --email <email> --name <name> [--expires-days <n>]
${PROJECT_USAGE}`;

async function tokenCreate(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { email: { type: "string" }, name: { type: "string" }, "expires-days": { type: "string" } },
  });
  if (!values.email || !values.name) throw new Error(`--email and --name are required.\n${USAGE}`);
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, values.email.trim().toLowerCase())).limit(1);
  if (!user) throw new Error(`No user with email ${values.email}.`);
  if (user.disabled) throw new Error(`User ${values.email} is disabled.`);
  const ctx = { actor: { id: user.id, email: user.email, roles: user.roles.filter(isRole) }, requestId: "cli" };
  const { token } = await createToken(
    { name: values.name, expiresInDays: values["expires-days"] ? Number(values["expires-days"]) : undefined },
    ctx,
  );
  // Only the token on stdout, so that scripts can capture it.
  process.stdout.write(`${token}\n`);
}

async function main(): Promise<number> {
  const [group, command, ...rest] = process.argv.slice(2);
  if (group === "token" && command === "create") {
    await tokenCreate(rest);
    return 0;
  }
  // Plan, apply and export speak to a running Meridian over REST: they never open the database.
  if (group === "plan" || group === "apply" || group === "export") return runProjectCommand(group, process.argv.slice(3));
  throw new Error(USAGE);
}

main()
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(isAppError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error));
    await closeDb().catch(() => {});
    process.exit(1);
  });
