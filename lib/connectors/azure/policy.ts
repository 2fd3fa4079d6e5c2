import type { ApiSettingsSnapshot } from "@/lib/db/schema/apis";
import type { RateLimit } from "@/lib/domain/openapi/operations";
import { enforcedScopes } from "@/lib/domain/openapi/scopes";
import { acceptedKeyManagers, audiencesOf } from "../key-managers";
import type { DeploymentTier, KeyManagerInfo, PlanNote, PlanRefusal } from "../types";
import { renderXml, type XmlNode } from "./xml";

/**
 * Policy XML for an API and its operations: pure translation of Meridian's settings.
 *
 * Limits: second and minute rates become rate-limit-by-key (a sliding window; its renewal
 * period cannot exceed 300 seconds), hour and day rates and monthly quotas become quota-by-key
 * (fixed windows counted from first-period-start; a month is 30 days). A tier's burst has no
 * Azure equivalent beyond the window itself and is not written. The plan says both
 * (`policyNotes`).
 *
 * Counter keys always start with the API id: API Management shares one counter per key value
 * across every scope where the policy is configured, so a bare client id would make one
 * application's calls to two APIs draw from one budget, unlike Meridian's per-subscription limits.
 */

export const CLIENT_ID_KEY =
  'context.Request.Headers.GetValueOrDefault("Authorization","").AsJwt()?.Claims.GetValueOrDefault("client_id", "anonymous")';
const MONTH_SECONDS = 30 * 24 * 3600;
const UNIT_SECONDS = { second: 1, minute: 60, hour: 3600, day: 86400 } as const;

export interface PolicyInput {
  settings: ApiSettingsSnapshot;
  tiers: DeploymentTier[];
  keyManager: KeyManagerInfo;
  /** The key managers the API accepts (`acceptedKeyManagers`); absent means `keyManager` alone. */
  keyManagers?: KeyManagerInfo[];
  /** API-key APIs: the product of each tier, by tier name. */
  productIds: Record<string, string>;
}

export interface OperationRef {
  /** "METHOD /path", as in settings.operationPolicies. */
  key: string;
}

type Limit = { requests: number; unit: keyof typeof UNIT_SECONDS };

function limitPolicies(limit: Limit, counterKey: string): XmlNode[] {
  const seconds = UNIT_SECONDS[limit.unit];
  if (seconds <= 60)
    return [{ name: "rate-limit-by-key", attrs: { calls: limit.requests, "renewal-period": seconds, "counter-key": `@(${counterKey})` } }];
  return [
    {
      name: "quota-by-key",
      attrs: { calls: limit.requests, "renewal-period": seconds, "counter-key": `@(${counterKey} + ":${limit.unit}")` },
    },
  ];
}

function tierPolicies(tier: DeploymentTier, counterKey: string): XmlNode[] {
  const nodes: XmlNode[] = [];
  if (!tier.unlimited && tier.requests !== null && tier.unit !== null)
    nodes.push(...limitPolicies({ requests: tier.requests, unit: tier.unit }, counterKey));
  if (!tier.unlimited && tier.monthlyQuota !== null)
    nodes.push({
      name: "quota-by-key",
      attrs: { calls: tier.monthlyQuota, "renewal-period": MONTH_SECONDS, "counter-key": `@(${counterKey} + ":month")` },
    });
  return nodes;
}

const perSecond = (t: DeploymentTier) => (t.requests ?? Infinity) / UNIT_SECONDS[t.unit ?? "second"];

/**
 * Meridian's access tokens name the client (client_id) but not the tier of its subscription,
 * and Azure does not know Meridian's subscriptions of OAuth2 APIs: the tier cannot be told
 * apart at the gateway. The strictest rate and the smallest monthly quota of the allowed tiers
 * apply to every client, so that no subscriber can exceed its own tier; higher tiers are held
 * to the lowest one's numbers on Azure.
 */
export function strictestTier(tiers: DeploymentTier[]): DeploymentTier | null {
  const limited = tiers.filter((t) => !t.unlimited);
  if (!limited.length) return null;
  const rated = limited.filter((t) => t.requests !== null && t.unit !== null).sort((a, b) => perSecond(a) - perSecond(b))[0];
  const quotas = limited.map((t) => t.monthlyQuota).filter((q): q is number => q !== null);
  if (!rated && !quotas.length) return null;
  return {
    name: rated?.name ?? "strictest",
    displayName: rated?.displayName ?? "strictest",
    requests: rated?.requests ?? null,
    unit: rated?.unit ?? null,
    burst: null,
    monthlyQuota: quotas.length ? Math.min(...quotas) : null,
    unlimited: false,
  };
}

function cors(settings: ApiSettingsSnapshot): XmlNode | null {
  const c = settings.cors;
  if (!c.enabled) return null;
  const values = (list: string[]) => (list.length ? list : ["*"]);
  return {
    name: "cors",
    attrs: { "allow-credentials": c.credentials ? "true" : "false" },
    children: [
      { name: "allowed-origins", children: values(c.origins).map((o) => ({ name: "origin", text: o })) },
      { name: "allowed-methods", children: values(c.methods).map((m) => ({ name: "method", text: m.toUpperCase() })) },
      { name: "allowed-headers", children: values(c.headers).map((h) => ({ name: "header", text: h })) },
    ],
  };
}

/** The token's `scope` claim (space-separated) must hold every one of `scopes`. */
function requiredScopes(scopes: string[]): XmlNode {
  return {
    name: "required-claims",
    children: [
      {
        name: "claim",
        attrs: { name: "scope", match: "all", separator: " " },
        children: scopes.map((scope) => ({ name: "value", text: scope })),
      },
    ],
  };
}

/** validate-jwt takes one openid-config per accepted key manager, and any of their issuers and audiences. */
function validateJwt(input: PolicyInput, scopes: string[] = []): XmlNode {
  const kms = acceptedKeyManagers(input);
  return {
    name: "validate-jwt",
    attrs: {
      "header-name": "Authorization",
      "failed-validation-httpcode": 401,
      "failed-validation-error-message": "Unauthorized. Access token is missing or invalid.",
      "require-scheme": "Bearer",
    },
    children: [
      ...kms.map((km) => ({ name: "openid-config", attrs: { url: km.openidConfigurationUrl } })),
      { name: "audiences", children: [...new Set(kms.flatMap(audiencesOf))].map((audience) => ({ name: "audience", text: audience })) },
      { name: "issuers", children: kms.map((km) => ({ name: "issuer", text: km.issuer })) },
      ...(scopes.length ? [requiredScopes(scopes)] : []),
    ],
  };
}

/**
 * An operation's scopes, checked after the API's own validate-jwt (inherited through <base/>)
 * has refused invalid tokens with 401: a valid token without the scopes gets 403, as on the
 * built-in gateway.
 */
function scopeCheck(input: PolicyInput, scopes: string[]): XmlNode {
  const jwt = validateJwt(input, scopes);
  return {
    ...jwt,
    attrs: {
      ...jwt.attrs,
      "failed-validation-httpcode": 403,
      "failed-validation-error-message": `insufficient_scope: this operation needs an access token with the scopes ${scopes.join(" ")}.`,
    },
  };
}

/** An API-key API with open operations: see subscriptionOptional. */
export function hasOpenOperations(settings: ApiSettingsSnapshot): boolean {
  return settings.security.scheme === "apiKey" && Object.values(settings.operationPolicies).some((p) => p.security === "none");
}

/**
 * Azure asks for subscription keys per API. When some operations of an API-key API are open,
 * the API makes keys optional (a key that is sent is still checked by Azure) and this guard
 * refuses calls without a subscription; the open operations' own policies leave it out.
 */
function subscriptionGuard(): XmlNode {
  return {
    name: "choose",
    children: [
      {
        name: "when",
        attrs: { condition: "@(context.Subscription == null)" },
        children: [
          {
            name: "return-response",
            children: [
              { name: "set-status", attrs: { code: 401, reason: "Unauthorized" } },
              {
                name: "set-header",
                attrs: { name: "Content-Type", "exists-action": "override" },
                children: [{ name: "value", text: "application/json" }],
              },
              {
                name: "set-body",
                text: JSON.stringify({
                  statusCode: 401,
                  message:
                    "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
                }),
              },
            ],
          },
        ],
      },
    ],
  };
}

function tierSection(input: PolicyInput): XmlNode[] {
  const scheme = input.settings.security.scheme;
  if (scheme === "none") return [];
  if (scheme === "apiKey") {
    // Every tier is a product: its subscriptions, and only they, get its limits.
    const branches = input.tiers
      .map((tier) => ({ tier, policies: tierPolicies(tier, 'context.Api.Id + ":" + context.Subscription.Id') }))
      .filter((b) => b.policies.length && input.productIds[b.tier.name]);
    if (!branches.length) return [];
    return [
      {
        name: "choose",
        children: branches.map((b) => ({
          name: "when",
          attrs: { condition: `@(context.Product.Id == "${input.productIds[b.tier.name]}")` },
          children: b.policies,
        })),
      },
    ];
  }
  const strictest = strictestTier(input.tiers);
  if (!strictest) return [];
  const nodes: XmlNode[] = [];
  if (input.tiers.length > 1)
    nodes.push({
      name: "",
      comment: `Access tokens carry no tier: the strictest limits of the allowed tiers (${input.tiers.map((t) => t.name).join(", ")}) apply to every client.`,
    });
  return [...nodes, ...tierPolicies(strictest, `context.Api.Id + ":" + ${CLIENT_ID_KEY}`)];
}

const apiLimit = (rateLimit: RateLimit | null): XmlNode[] => (rateLimit ? limitPolicies(rateLimit, "context.Api.Id") : []);

function document(inbound: XmlNode[]): string {
  return renderXml({
    name: "policies",
    children: [
      { name: "inbound", children: inbound },
      { name: "backend", children: [{ name: "base" }] },
      { name: "outbound", children: [{ name: "base" }] },
      { name: "on-error", children: [{ name: "base" }] },
    ],
  });
}

/** The API-scope policy document. */
export function apiPolicyXml(input: PolicyInput): string {
  const corsNode = cors(input.settings);
  return document([
    { name: "base" },
    // CORS first, so that preflight requests are answered before any credential is asked for.
    ...(corsNode ? [corsNode] : []),
    ...(input.settings.security.scheme === "oauth2" ? [validateJwt(input)] : []),
    ...(hasOpenOperations(input.settings) ? [subscriptionGuard()] : []),
    ...tierSection(input),
    ...apiLimit(input.settings.rateLimit),
  ]);
}

/** Operation-scope documents, by "METHOD /path", for the operations whose policies differ from the API's. */
export function operationPoliciesXml(input: PolicyInput, operations: OperationRef[]): Record<string, string> {
  const out: Record<string, string> = {};
  const scheme = input.settings.security.scheme;
  for (const { key } of operations) {
    const override = input.settings.operationPolicies[key];
    if (!override) continue;
    const own = override.rateLimit ? limitPolicies(override.rateLimit, 'context.Api.Id + ":" + context.Operation.Id') : [];
    const scopes = enforcedScopes(input.settings, key);
    if (override.security === "none" && scheme !== "none") {
      // An open operation of a secured API: the API's inbound policies without the credential
      // check. The operation cannot inherit them through <base/> and drop one, so it lists them
      // itself; the cost is that service-wide inbound policies do not apply to it either.
      const corsNode = cors(input.settings);
      out[key] = document([
        { name: "", comment: `Open operation: no ${scheme === "oauth2" ? "token" : "subscription key"} required.` },
        ...(corsNode ? [corsNode] : []),
        ...apiLimit(input.settings.rateLimit),
        ...own,
      ]);
    } else if (override.security === "oauth2" && scheme === "none") {
      out[key] = document([{ name: "base" }, validateJwt(input, scopes), ...own]);
    } else if (scopes.length) {
      out[key] = document([{ name: "base" }, scopeCheck(input, scopes), ...own]);
    } else if (own.length) {
      out[key] = document([{ name: "base" }, ...own]);
    }
  }
  return out;
}

/** What these policies cannot express: deploying would silently drop it, so the plan refuses it. */
export function policyRefusals(settings: ApiSettingsSnapshot, operationKeys: string[]): PlanRefusal[] {
  const refusals: PlanRefusal[] = [];
  const scheme = settings.security.scheme;
  for (const key of operationKeys) {
    const security = settings.operationPolicies[key]?.security;
    if (!security || security === scheme) continue;
    if (security === "apiKey") {
      refusals.push({
        feature: `security of ${key}`,
        reason:
          "Azure API Management asks for subscription keys per API, not per operation: one operation cannot require an API key alone.",
      });
    } else if (scheme === "apiKey" && security === "oauth2") {
      refusals.push({
        feature: `security of ${key}`,
        reason: `Azure API Management checks subscription keys before any policy runs: ${key} cannot accept an OAuth2 token instead of the API key.`,
      });
    }
  }
  if (settings.cors.enabled && settings.cors.credentials && (settings.cors.origins.length === 0 || settings.cors.origins.includes("*"))) {
    refusals.push({
      feature: "CORS with credentials",
      reason: "Azure API Management refuses allow-credentials with a wildcard origin: list the allowed origins.",
    });
  }
  return refusals;
}

const list = (names: string[]) => (names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}` : names[0]);

/**
 * What these policies enforce differently from the built-in gateway, which deploying accepts:
 * the plan says it. Tiers apply only to APIs that identify callers (API key or OAuth2).
 */
export function policyNotes(settings: ApiSettingsSnapshot, tiers: DeploymentTier[], operationCount: number): PlanNote[] {
  const notes: PlanNote[] = [];
  if (operationCount === 0) {
    notes.push({
      feature: "Operations",
      note: "This revision has no operations: Azure API Management creates the API without any, and answers 404 to every request to it.",
    });
  }
  if (settings.security.scheme === "none") return notes;
  const limited = tiers.filter((t) => !t.unlimited);
  const bursts = limited.filter((t) => t.requests !== null && t.unit !== null && t.burst !== null);
  if (bursts.length) {
    notes.push({
      feature: "Tier bursts",
      note: `Azure API Management limits have no burst: ${list(bursts.map((t) => `${t.displayName} (burst ${t.burst})`))} ${bursts.length === 1 ? "keeps its" : "keep their"} rate on Azure, counted per window by rate-limit-by-key or quota-by-key, but not the burst.`,
    });
  }
  const quotas = limited.filter((t) => t.monthlyQuota !== null);
  if (quotas.length) {
    notes.push({
      feature: "Monthly quotas",
      note: `Azure's quota-by-key counts fixed periods of 30 days (counted from its first-period-start, not from the first of a month), while the built-in gateway counts calendar months (UTC): on Azure the monthly quota of ${list(quotas.map((t) => t.displayName))} resets every 30 days, on a day that moves through the calendar, so a caller may use it twice within one calendar month.`,
    });
  }
  return notes;
}
