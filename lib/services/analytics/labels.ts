import { inArray } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { apis, applications, environments } from "@/lib/db/schema";
import { noBreakdownLabel } from "@/lib/domain/analytics/vendor-minutes";
import type { AnalyticsDimension } from "./schemas";

/** Human labels for group keys: API and application names, environment display names. */
export async function labelGroups(db: DbOrTx, dimension: AnalyticsDimension, keys: string[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const apiIds = dimension === "apiId" ? keys : dimension === "operation" ? keys.map((k) => k.split(" ")[0]) : [];
  const apiNames = new Map<string, string>();
  const present = [...new Set(apiIds.filter(Boolean))];
  if (present.length) {
    for (const a of await db.select({ id: apis.id, name: apis.name, version: apis.version }).from(apis).where(inArray(apis.id, present)))
      apiNames.set(a.id, `${a.name} ${a.version}`);
  }
  if (dimension === "applicationId") {
    const ids = keys.filter((k) => k && !noBreakdownLabel(k));
    const rows = ids.length
      ? await db.select({ id: applications.id, name: applications.name }).from(applications).where(inArray(applications.id, ids))
      : [];
    const names = new Map(rows.map((r) => [r.id, r.name]));
    for (const k of keys) labels.set(k, noBreakdownLabel(k) ?? (k ? (names.get(k) ?? k) : "No application (anonymous or refused)"));
  } else if (dimension === "environment") {
    const rows = keys.length
      ? await db
          .select({ name: environments.name, displayName: environments.displayName })
          .from(environments)
          .where(inArray(environments.name, keys))
      : [];
    const names = new Map(rows.map((r) => [r.name, r.displayName]));
    for (const k of keys) labels.set(k, names.get(k) ?? k);
  } else if (dimension === "apiId") {
    for (const k of keys) labels.set(k, apiNames.get(k) ?? k);
  } else if (dimension === "operation") {
    for (const k of keys) {
      const space = k.indexOf(" ");
      const apiId = k.slice(0, space);
      const operation = k.slice(space + 1);
      labels.set(k, `${operation || "No matching operation"} · ${apiNames.get(apiId) ?? apiId}`);
    }
  } else if (dimension === "region") {
    for (const k of keys) labels.set(k, k || "No region");
  } else {
    for (const k of keys) labels.set(k, k);
  }
  return labels;
}
