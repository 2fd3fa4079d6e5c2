import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";

/** Platform settings as key → JSON value; the typed view lives in lib/services/settings. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  ...timestamps,
});
