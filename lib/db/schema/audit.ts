import { bigserial, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { tstz } from "./columns";

/** Who did what to which object; written in the same transaction as the change. */
export const auditEntries = pgTable(
  "audit_entries",
  {
    id: text("id").primaryKey(),
    /** Order of writing: entries written in the same instant (or transaction) keep their order. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    at: tstz("at").notNull().defaultNow(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    objectType: text("object_type").notNull(),
    objectId: text("object_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    requestId: text("request_id"),
  },
  (t) => [
    index("audit_entries_at_idx").on(t.at),
    index("audit_entries_actor_at_idx").on(t.actorId, t.at),
    index("audit_entries_object_idx").on(t.objectType, t.objectId),
  ],
);

export type AuditEntry = typeof auditEntries.$inferSelect;
