import { eq } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/lib/db/client";
import { apis } from "@/lib/db/schema";
import { operationKey, type ApiOperation } from "@/lib/domain/openapi/operations";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { loadFullApiForActor } from "./access";
import { operationPolicySchema } from "./schemas";

/** Sets (or clears, with null) the security and rate limit of one operation. */
export async function updateOperationPolicy(apiId: string, input: z.input<typeof operationPolicySchema>, ctx: ServiceContext): Promise<ApiOperation> {
  const values = parseInput(operationPolicySchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const { api } = await loadFullApiForActor(tx, apiId, ctx, { write: true, lock: true });
    const key = operationKey(values);
    const index = api.operations.findIndex((op) => operationKey(op) === key);
    if (index < 0) throw new AppError("not_found", `The API has no operation ${key}.`);
    const operations = [...api.operations];
    operations[index] = { ...operations[index], security: values.security, rateLimit: values.rateLimit };
    await tx.update(apis).set({ operations }).where(eq(apis.id, apiId));
    await writeAudit(tx, ctx, { action: "api.update_operation", objectType: "api", objectId: apiId, details: { operation: key, security: values.security, rateLimit: values.rateLimit } });
    return operations[index];
  });
}
