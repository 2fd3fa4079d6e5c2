import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { applications, type Application } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { assertApplicationPolicy } from "./application-policy";
import { applicationInputSchema } from "./schemas";

export async function createApplication(input: unknown, ctx: ServiceContext): Promise<Application> {
  const actor = assertCan(ctx, "applications:write");
  const values = parseInput(applicationInputSchema, input);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      await assertApplicationPolicy(tx, values.policy);
      const [app] = await tx
        .insert(applications)
        .values({ id: newId("app"), ownerId: actor.id, name: values.name, description: values.description, policy: values.policy ?? null })
        .returning();
      await writeAudit(tx, ctx, { action: "application.create", objectType: "application", objectId: app.id, details: { name: app.name } });
      return app;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("conflict", "You already have an application with this name.", {
        fieldErrors: { name: "You already have an application with this name." },
      });
    throw error;
  }
}
