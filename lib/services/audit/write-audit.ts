import { auditEntries } from "@/lib/db/schema";
import type { DbOrTx } from "@/lib/db/client";
import { newId } from "@/lib/id";
import type { ServiceContext } from "@/lib/services/context";

export interface AuditInput {
  action: string;
  objectType: string;
  objectId?: string | null;
  details?: Record<string, unknown>;
}

/** Call inside the transaction that makes the change, so that both commit or neither. */
export async function writeAudit(tx: DbOrTx, ctx: ServiceContext, input: AuditInput): Promise<void> {
  await tx.insert(auditEntries).values({
    id: newId("aud"),
    actorId: ctx.actor?.id ?? null,
    actorEmail: ctx.actor?.email ?? (ctx.requestId === "system" ? "system" : null),
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId ?? null,
    details: input.details ?? {},
    requestId: ctx.requestId ?? null,
  });
}
