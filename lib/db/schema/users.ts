import { sql } from "drizzle-orm";
import { boolean, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    // Null until an invited user sets a password.
    passwordHash: text("password_hash"),
    roles: text("roles")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    disabled: boolean("disabled").notNull().default(false),
    lastLoginAt: tstz("last_login_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

export const invitations = pgTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    acceptedAt: tstz("accepted_at"),
    createdBy: text("created_by"),
    ...timestamps,
  },
  (t) => [uniqueIndex("invitations_token_hash_key").on(t.tokenHash), index("invitations_user_id_idx").on(t.userId)],
);

export type Invitation = typeof invitations.$inferSelect;

/** Sign-in attempts, counted per email and per address to slow down password guessing. */
export const authAttempts = pgTable(
  "auth_attempts",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    ip: text("ip").notNull(),
    success: boolean("success").notNull(),
    at: tstz("at").notNull().defaultNow(),
  },
  (t) => [index("auth_attempts_email_at_idx").on(t.email, t.at), index("auth_attempts_ip_at_idx").on(t.ip, t.at)],
);
