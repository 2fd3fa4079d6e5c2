import { eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { environments, rateLimitPolicies, settings, type NewRateLimitPolicy } from "@/lib/db/schema";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { systemContext } from "@/lib/services/context";

export const DEFAULT_ENVIRONMENT = {
  name: "default",
  displayName: "Default",
  description: "Meridian's built-in gateway on this machine.",
  type: "builtin",
  mode: "write-only",
  region: "local",
  // The gateway `npm start` runs for this environment listens there (MERIDIAN_GATEWAY_PORT).
  publicUrls: [process.env.MERIDIAN_DEFAULT_GATEWAY_URL || `http://localhost:${process.env.MERIDIAN_GATEWAY_PORT || 8280}`],
} as const;

export const DEFAULT_TIERS: Array<Pick<NewRateLimitPolicy, "name" | "displayName" | "description" | "requests" | "unit" | "unlimited">> = [
  { name: "Bronze", displayName: "Bronze", description: "For trying an API out.", requests: 1000, unit: "minute", unlimited: false },
  {
    name: "Silver",
    displayName: "Silver",
    description: "For applications in production.",
    requests: 2000,
    unit: "minute",
    unlimited: false,
  },
  { name: "Gold", displayName: "Gold", description: "For high-traffic applications.", requests: 5000, unit: "minute", unlimited: false },
  {
    name: "Unlimited",
    displayName: "Unlimited",
    description: "No limit: for trusted applications.",
    requests: null,
    unit: null,
    unlimited: true,
  },
];

// Records that the first-start data was made once for this database.
const DEFAULTS_MARKER = "defaultsSeededAt";

// Any constant that no other advisory lock of Meridian uses.
const DEFAULTS_LOCK = 727275;

export interface DefaultsResult {
  environment: boolean;
  tiers: number;
}

/**
 * First-start data: the `default` built-in environment and the subscription tiers. They are
 * created once per database (a marker row in `settings` records it), each only if its name is
 * free, so that an admin who deletes them is not overruled at the next start, and so that
 * other environments or tiers made before the first start do not stop the defaults. Safe when
 * several processes start together: the advisory lock serialises them and the unique indexes
 * catch anything else. No gateway token is made here; an admin generates one in the portal.
 */
export async function ensureDefaults(): Promise<DefaultsResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DEFAULTS_LOCK})`);
    const result: DefaultsResult = { environment: false, tiers: 0 };
    const [seeded] = await tx.select().from(settings).where(eq(settings.key, DEFAULTS_MARKER)).limit(1);
    if (seeded) return result;

    const [row] = await tx
      .insert(environments)
      .values({ id: newId("env"), ...DEFAULT_ENVIRONMENT, publicUrls: [...DEFAULT_ENVIRONMENT.publicUrls] })
      .onConflictDoNothing()
      .returning({ id: environments.id });
    if (row) {
      result.environment = true;
      await writeAudit(tx, systemContext, {
        action: "environment.create",
        objectType: "environment",
        objectId: row.id,
        details: { name: DEFAULT_ENVIRONMENT.name, type: DEFAULT_ENVIRONMENT.type, default: true },
      });
    }

    const rows = await tx
      .insert(rateLimitPolicies)
      .values(DEFAULT_TIERS.map((t) => ({ ...t, id: newId("tier"), kind: "subscription" })))
      .onConflictDoNothing()
      .returning({ id: rateLimitPolicies.id, name: rateLimitPolicies.name });
    result.tiers = rows.length;
    if (rows.length)
      await writeAudit(tx, systemContext, {
        action: "tier.create",
        objectType: "tier",
        details: { names: rows.map((r) => r.name), default: true },
      });
    await tx.insert(settings).values({ key: DEFAULTS_MARKER, value: new Date().toISOString() }).onConflictDoNothing();
    return result;
  });
}
