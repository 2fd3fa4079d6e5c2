import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";

/**
 * The OAuth2 scopes an application may be granted: every scope that an operation of an API it
 * holds an active subscription to requires, in the API's working copy or in a revision deployed
 * (or being deployed) anywhere, so that a scope the gateways still enforce stays grantable until
 * the revision that asks for it is replaced.
 */
export async function subscribedScopes(applicationId: string): Promise<Set<string>> {
  const db = await getDb();
  const result = await db.execute<{ scope: string }>(sql`
    with subscribed as (
      select api_id from subscriptions where application_id = ${applicationId} and status = 'active'
    )
    select s.scope
    from subscribed
    join apis a on a.id = subscribed.api_id
    cross join lateral jsonb_array_elements(a.operations) as op(value)
    cross join lateral jsonb_array_elements_text(
      case
        when jsonb_typeof(op.value->'scopes') = 'array' then op.value->'scopes'
        when jsonb_typeof(op.value->'documentScopes') = 'array' then op.value->'documentScopes'
        else '[]'::jsonb
      end
    ) as s(scope)
    union
    select s.scope
    from subscribed
    join deployments d on d.api_id = subscribed.api_id and d.status <> 'undeployed'
    join api_revisions r on r.id = d.revision_id or r.id = d.deployed_revision_id
    cross join lateral jsonb_each(coalesce(r.settings->'operationPolicies', '{}'::jsonb)) as p(key, value)
    cross join lateral jsonb_array_elements_text(case when jsonb_typeof(p.value->'scopes') = 'array' then p.value->'scopes' else '[]'::jsonb end) as s(scope)`);
  return new Set(rowsOf<{ scope: string }>(result).map((r) => r.scope));
}
