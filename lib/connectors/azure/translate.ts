import type { ApiCreateOrUpdateParameter, ApiVersionSetContract, ProductContract } from "@azure/arm-apimanagement";
import { acceptedKeyManagers, keyManagerRefusals } from "../key-managers";
import type { DeploymentInput, DeploymentPlan, PlanNote, PlanRefusal } from "../types";
import { azureNames, type AzureNames } from "./names";
import { apiPolicyXml, hasOpenOperations, operationPoliciesXml, policyNotes, policyRefusals } from "./policy";

/** Everything a deployment writes to Azure, computed without any remote call. */
export interface AzureTranslation {
  names: AzureNames;
  versionSet: ApiVersionSetContract;
  /** The API, less apiVersionSetId, which needs the service's resource id. */
  api: ApiCreateOrUpdateParameter;
  apiPolicy: string;
  /** By "METHOD /path". */
  operationPolicies: Record<string, string>;
  products: Array<{ tier: string; productId: string; product: ProductContract }>;
  refusals: PlanRefusal[];
  notes: PlanNote[];
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** "METHOD /path" of every operation of an OpenAPI document. */
export function operationKeys(definition: Record<string, unknown>): string[] {
  const paths = (definition.paths ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item && typeof item[m] === "object").map((m) => `${m.toUpperCase()} ${path}`),
  );
}

export function translate(input: DeploymentInput): AzureTranslation {
  const names = azureNames(input.api);
  const settings = input.revision.settings;
  const apiKey = settings.security.scheme === "apiKey";
  const keys = operationKeys(input.revision.definition);
  const products = apiKey
    ? input.tiers.map((tier) => ({
        tier: tier.name,
        productId: names.productId(tier.name),
        product: {
          displayName: names.productDisplayName(tier.displayName),
          description: `Subscriptions to ${input.api.name} ${input.api.version} on the ${tier.displayName} tier, managed by Meridian.`,
          subscriptionRequired: true,
          approvalRequired: false,
          state: "published",
        } satisfies ProductContract,
      }))
    : [];
  const policyInput = {
    settings,
    tiers: input.tiers,
    keyManager: input.keyManager,
    keyManagers: acceptedKeyManagers(input),
    productIds: Object.fromEntries(products.map((p) => [p.tier, p.productId])),
  };
  return {
    names,
    versionSet: {
      displayName: names.versionSetDisplayName,
      versioningScheme: "Segment",
      description: `Versions of ${input.api.name}, managed by Meridian.`,
    },
    api: {
      format: "openapi+json",
      value: JSON.stringify(input.revision.definition),
      path: names.path,
      displayName: names.displayName,
      description: input.api.description,
      serviceUrl: input.endpoint,
      protocols: ["https"],
      apiVersion: names.apiVersion,
      subscriptionRequired: apiKey && !hasOpenOperations(settings),
      ...(apiKey ? { subscriptionKeyParameterNames: { header: settings.security.apiKeyHeader, query: "subscription-key" } } : {}),
    },
    apiPolicy: apiPolicyXml(policyInput),
    operationPolicies: operationPoliciesXml(
      policyInput,
      keys.map((key) => ({ key })),
    ),
    products,
    refusals: [...policyRefusals(settings, keys), ...keyManagerRefusals(input)],
    notes: policyNotes(settings, input.tiers, keys.length),
  };
}

export function planOf(t: AzureTranslation): DeploymentPlan {
  return {
    artifacts: [
      { kind: "version-set", name: t.names.versionSetId, format: "json", content: t.versionSet },
      { kind: "api", name: t.names.apiId, format: "json", content: { ...t.api, value: JSON.parse(String(t.api.value)) } },
      { kind: "policy", name: `${t.names.apiId} (API)`, format: "xml", content: t.apiPolicy },
      ...Object.entries(t.operationPolicies).map(([key, xml]) => ({
        kind: "policy",
        name: `${t.names.apiId} ${key}`,
        format: "xml" as const,
        content: xml,
      })),
      ...t.products.map((p) => ({
        kind: "product",
        name: p.productId,
        format: "json" as const,
        content: { ...p.product, apis: [t.names.apiId] },
      })),
    ],
    refusals: t.refusals,
    notes: t.notes,
  };
}
