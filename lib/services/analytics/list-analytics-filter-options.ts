import { z } from "zod";
import { arrayContains, asc, eq, inArray, or, type SQL } from "drizzle-orm";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { apis, applications, environments, subscriptions } from "@/lib/db/schema";
import { canSeeAllApis } from "@/lib/services/apis/access";
import { requireActor, type ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { ANALYTICS_SCOPES } from "./schemas";
import { resolveScope } from "./scope";

export interface AnalyticsFilterOption {
  value: string;
  label: string;
}

export interface AnalyticsFilterOptions {
  apis: AnalyticsFilterOption[];
  applications: AnalyticsFilterOption[];
  environments: AnalyticsFilterOption[];
}

/** More than a person picks from a list; a dashboard filtered further asks the REST API. */
export const MAX_FILTER_OPTIONS = 500;

const schema = z.object({ scope: z.enum(ANALYTICS_SCOPES).optional() });

/**
 * What a dashboard can be filtered by, for what the caller may see in a scope: every API and
 * application in it, with traffic or not (a new API is found by name, not among the busiest),
 * and the gateway environments. Admins see every API and application; publishers their APIs
 * and the applications subscribed to them; consumers their applications and the APIs those
 * subscribe to. The same permission checks as the dashboards' queries (resolveScope).
 */
export async function listAnalyticsFilterOptions(input: unknown, ctx: ServiceContext): Promise<AnalyticsFilterOptions> {
  const { scope: requested } = parseInput(schema, input);
  const actor = requireActor(ctx);
  const db = await getDb();
  const { scope } = await resolveScope(db, ctx, requested);

  const ownApis = canSeeAllApis(actor) ? undefined : arrayContains(apis.owners, [actor.id]);
  const ownApplications = eq(applications.ownerId, actor.id);
  const subscribedBy = (where: SQL) =>
    db.select({ id: subscriptions.applicationId }).from(subscriptions).innerJoin(apis, eq(apis.id, subscriptions.apiId)).where(where);
  const subscribedTo = db
    .select({ id: subscriptions.apiId })
    .from(subscriptions)
    .innerJoin(applications, eq(applications.id, subscriptions.applicationId))
    .where(ownApplications);

  let apiWhere: SQL | undefined;
  let applicationWhere: SQL | undefined;
  if (scope === "all") {
    apiWhere = undefined;
    applicationWhere = undefined;
  } else if (scope === "publisher") {
    apiWhere = ownApis;
    applicationWhere = ownApis ? inArray(applications.id, subscribedBy(ownApis)) : undefined;
  } else if (scope === "consumer") {
    apiWhere = inArray(apis.id, subscribedTo);
    applicationWhere = ownApplications;
  } else {
    const publisher = can(actor.roles, "apis:read");
    apiWhere = publisher ? (ownApis ? or(ownApis, inArray(apis.id, subscribedTo)) : undefined) : inArray(apis.id, subscribedTo);
    applicationWhere = publisher
      ? ownApis
        ? or(ownApplications, inArray(applications.id, subscribedBy(ownApis)))
        : undefined
      : ownApplications;
  }

  const [apiRows, applicationRows, environmentRows] = await Promise.all([
    db
      .select({ id: apis.id, name: apis.name, version: apis.version })
      .from(apis)
      .where(apiWhere)
      .orderBy(asc(apis.name), asc(apis.version))
      .limit(MAX_FILTER_OPTIONS),
    db
      .select({ id: applications.id, name: applications.name })
      .from(applications)
      .where(applicationWhere)
      .orderBy(asc(applications.name))
      .limit(MAX_FILTER_OPTIONS),
    db.select({ name: environments.name, displayName: environments.displayName }).from(environments).orderBy(asc(environments.displayName)),
  ]);
  return {
    apis: apiRows.map((a) => ({ value: a.id, label: `${a.name} ${a.version}` })),
    applications: applicationRows.map((a) => ({ value: a.id, label: a.name })),
    environments: environmentRows.map((e) => ({ value: e.name, label: e.displayName })),
  };
}
