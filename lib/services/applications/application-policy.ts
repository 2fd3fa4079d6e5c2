import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { rateLimitPolicies } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";

/** An application's policy must be one of the admin's application policies (or none). */
export async function assertApplicationPolicy(db: DbOrTx, name: string | null | undefined): Promise<void> {
  if (!name) return;
  const [row] = await db
    .select({ id: rateLimitPolicies.id })
    .from(rateLimitPolicies)
    .where(and(eq(rateLimitPolicies.kind, "application"), eq(rateLimitPolicies.name, name)))
    .limit(1);
  if (!row)
    throw new AppError("validation_failed", `There is no application policy named "${name}".`, {
      fieldErrors: { policy: "Choose one of the application policies." },
    });
}
