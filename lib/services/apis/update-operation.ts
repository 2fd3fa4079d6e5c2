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

/**
 * Sets (or clears, with null) the security, rate limit and OAuth2 scopes of one operation. Scopes
 * are refused on an operation that is not secured with OAuth2: no other credential carries them.
 */
export async function updateOperationPolicy(
  apiId: string,
  input: z.input<typeof operationPolicySchema>,
  ctx: ServiceContext,
): Promise<ApiOperation> {
  const values = parseInput(operationPolicySchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const { api } = await loadFullApiForActor(tx, apiId, ctx, { write: true, lock: true });
    const key = operationKey(values);
    const index = api.operations.findIndex((op) => operationKey(op) === key);
    if (index < 0) throw new AppError("not_found", `The API has no operation ${key}.`);
    const operations = [...api.operations];
    const current = operations[index];
    const scopes = values.scopes === undefined ? (current.scopes ?? null) : values.scopes;
    const scheme = values.security ?? api.security.scheme;
    if (values.scopes?.length && scheme !== "oauth2") {
      throw new AppError(
        "validation_failed",
        `Scopes apply to operations secured with OAuth2; ${key} is secured with ${scheme === "apiKey" ? "an API key" : "nothing"}.`,
        { fieldErrors: { scopes: "Secure the operation with OAuth2 to require scopes." } },
      );
    }
    operations[index] = {
      ...current,
      security: values.security,
      rateLimit: values.rateLimit,
      documentScopes: current.documentScopes ?? [],
      scopes,
    };
    await tx.update(apis).set({ operations }).where(eq(apis.id, apiId));
    await writeAudit(tx, ctx, {
      action: "api.update_operation",
      objectType: "api",
      objectId: apiId,
      details: { operation: key, security: values.security, rateLimit: values.rateLimit, scopes },
    });
    return operations[index];
  });
}
