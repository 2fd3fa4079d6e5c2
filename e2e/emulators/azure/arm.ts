import { randomBytes, randomUUID } from "node:crypto";
import { exportOpenApi, ImportError, importOpenApi } from "./openapi";
import { PolicyValidationError, validatePolicy } from "./policy-check";
import type { ApiEntity, EmulatorStore, ProductEntity, SubscriptionEntity } from "./store";
import { reportsByApi, reportsByTime } from "./reports";

/**
 * The Resource Manager side of API Management: the paths, api-version, entity shapes, paging,
 * long-running operations and validation errors that @azure/arm-apimanagement meets on Azure.
 */

export const SUPPORTED_API_VERSIONS = new Set([
  "2021-08-01",
  "2022-08-01",
  "2023-03-01-preview",
  "2023-05-01-preview",
  "2023-09-01-preview",
  "2024-05-01",
  "2024-06-01-preview",
]);

export interface ArmAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ArmContext {
  store: EmulatorStore;
  /** https://127.0.0.1:<port>, for nextLink and Location headers. */
  baseUrl: string;
  gatewayUrl: string;
  subscriptionId: string;
  resourceGroup: string;
  serviceName: string;
  pageSize: number;
  /** How many times an operation-results URL answers 202 before the result. */
  lroPolls: number;
}

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Array<{ code: string; target?: string; message: string }>,
  ) {
    super(message);
  }
}

const errorAnswer = (e: ArmError): ArmAnswer => ({
  status: e.status,
  body: { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } },
});
const notFound = (what: string): never => {
  throw new ArmError(404, "ResourceNotFound", `${what} not found.`);
};
const invalid = (target: string, message: string): never => {
  throw new ArmError(400, "ValidationError", "One or more fields contain incorrect values:", [
    { code: "ValidationError", target, message },
  ]);
};
const etag = () => `"${randomBytes(8).toString("hex")}"`;
// Azure's entity names: no control characters nor * # & + : < > ? and at most 256 characters.
const validName = (name: string) => name.length >= 1 && name.length <= 256 && !/[*#&+:<>?%\\/]/.test(name);

export function serviceId(ctx: ArmContext): string {
  return `/subscriptions/${ctx.subscriptionId}/resourceGroups/${ctx.resourceGroup}/providers/Microsoft.ApiManagement/service/${ctx.serviceName}`;
}

function page<T>(ctx: ArmContext, url: URL, items: T[]): ArmAnswer {
  const skip = Number(url.searchParams.get("$skip") ?? 0) || 0;
  const top = Math.min(Number(url.searchParams.get("$top") ?? ctx.pageSize) || ctx.pageSize, ctx.pageSize);
  const slice = items.slice(skip, skip + top);
  const body: Record<string, unknown> = { value: slice, count: items.length };
  if (skip + top < items.length) {
    const next = new URL(url.toString());
    next.searchParams.set("$skip", String(skip + top));
    next.searchParams.set("$top", String(top));
    body.nextLink = `${ctx.baseUrl}${next.pathname}${next.search}`;
  }
  return { status: 200, body };
}

function apiContract(ctx: ArmContext, api: ApiEntity) {
  return {
    id: `${serviceId(ctx)}/apis/${api.id}`,
    type: "Microsoft.ApiManagement/service/apis",
    name: api.id,
    properties: {
      displayName: api.displayName,
      apiRevision: api.apiRevision,
      ...(api.apiRevisionDescription !== undefined ? { apiRevisionDescription: api.apiRevisionDescription } : {}),
      description: api.description,
      subscriptionRequired: api.subscriptionRequired,
      serviceUrl: api.serviceUrl,
      path: api.path,
      protocols: api.protocols,
      subscriptionKeyParameterNames: api.subscriptionKeyParameterNames,
      isCurrent: api.isCurrent,
      ...(api.apiVersion !== undefined ? { apiVersion: api.apiVersion } : {}),
      ...(api.apiVersionSetId ? { apiVersionSetId: `${serviceId(ctx)}/apiVersionSets/${api.apiVersionSetId}` } : {}),
      type: "http",
      authenticationSettings: {},
    },
  };
}

const withEtag = (body: unknown, tag: string, status = 200): ArmAnswer => ({ status, body, headers: { etag: tag } });

function requireIfMatch(headers: Record<string, string | string[] | undefined>, current: string | undefined): void {
  const ifMatch = headers["if-match"];
  if (ifMatch === undefined) throw new ArmError(400, "InvalidRequest", "The 'If-Match' header is required for this operation.");
  if (ifMatch !== "*" && current && ifMatch !== current)
    throw new ArmError(412, "PreconditionFailed", "The entity has been modified since it was last read.");
}

function props(body: unknown): Record<string, unknown> {
  const p = (body as { properties?: unknown } | undefined)?.properties;
  if (!p || typeof p !== "object") return invalid("properties", "The 'properties' object is required.");
  return p as Record<string, unknown>;
}

function putApi(ctx: ArmContext, rawId: string, body: unknown): ArmAnswer {
  const [id, rev] = rawId.split(";rev=");
  if (!validName(id)) invalid("apiId", `'${id}' is not a valid API identifier.`);
  const p = props(body);
  const existing = ctx.store.apis.get(rawId);
  if (typeof p.path !== "string") invalid("path", "The path is required.");
  const path = String(p.path);
  if (path.startsWith("/") || path.length > 400) invalid("path", "The path must be at most 400 characters and must not begin with '/'.");
  let imported: ReturnType<typeof importOpenApi> | undefined;
  if (p.value !== undefined || p.format !== undefined) {
    if (p.format !== "openapi+json" && p.format !== "openapi" && p.format !== "openapi-link" && p.format !== "openapi+json-link")
      invalid("format", `The format '${String(p.format)}' is not supported by this emulator.`);
    if (typeof p.value !== "string") invalid("value", "The value is required when a format is given.");
    try {
      imported = importOpenApi(String(p.value));
    } catch (error) {
      if (error instanceof ImportError) throw new ArmError(400, "ValidationError", error.message);
      throw error;
    }
  }
  const displayName = (p.displayName as string | undefined) ?? imported?.title ?? existing?.displayName;
  if (!displayName) invalid("displayName", "The display name is required.");
  if (displayName!.length > 300) invalid("displayName", "The display name must be at most 300 characters.");
  let versionSetId: string | undefined;
  if (typeof p.apiVersionSetId === "string" && p.apiVersionSetId) {
    versionSetId = p.apiVersionSetId.split("/").pop()!;
    if (!ctx.store.versionSets.has(versionSetId))
      throw new ArmError(400, "ValidationError", `API version set '${versionSetId}' does not exist.`);
    if (typeof p.apiVersion !== "string") invalid("apiVersion", "The API version is required when the API belongs to a version set.");
  } else if (p.apiVersion) invalid("apiVersionSetId", "An API version set is required when an API version is given.");
  const protocols = (p.protocols as string[] | undefined) ?? existing?.protocols ?? ["https"];
  if (!Array.isArray(protocols) || protocols.some((x) => x !== "http" && x !== "https" && x !== "ws" && x !== "wss"))
    invalid("protocols", "Protocols must be http, https, ws or wss.");
  if (p.serviceUrl !== undefined && (typeof p.serviceUrl !== "string" || !/^(https?|wss?):\/\/./.test(p.serviceUrl)))
    invalid("serviceUrl", "The service URL must be an absolute http(s) URL.");
  if (p.apiRevisionDescription !== undefined && (typeof p.apiRevisionDescription !== "string" || p.apiRevisionDescription.length > 256))
    invalid("apiRevisionDescription", "The API revision description must be a string of at most 256 characters.");
  const keyNames =
    (p.subscriptionKeyParameterNames as { header?: string; query?: string } | undefined) ?? existing?.subscriptionKeyParameterNames;
  for (const other of ctx.store.apis.values()) {
    if (other.id === id || !other.isCurrent || other.path.toLowerCase() !== path.toLowerCase()) continue;
    const sameSet = versionSetId && other.apiVersionSetId === versionSetId;
    if (!sameSet || other.apiVersion === p.apiVersion) {
      throw new ArmError(
        409,
        "Conflict",
        `Cannot create API '${id}' with the same path '${path}' as API '${other.id}' unless it is a part of the same version set with a different version.`,
      );
    }
  }
  const api: ApiEntity = {
    id: rawId,
    displayName: displayName!,
    description: (p.description as string | undefined) ?? imported?.description ?? existing?.description ?? "",
    path,
    serviceUrl: (p.serviceUrl as string | undefined) ?? existing?.serviceUrl,
    protocols,
    apiVersion: p.apiVersion as string | undefined,
    apiVersionSetId: versionSetId,
    apiRevision: rev ?? existing?.apiRevision ?? "1",
    apiRevisionDescription: (p.apiRevisionDescription as string | undefined) ?? existing?.apiRevisionDescription,
    isCurrent: rev === undefined,
    subscriptionRequired: (p.subscriptionRequired as boolean | undefined) ?? existing?.subscriptionRequired ?? true,
    subscriptionKeyParameterNames: {
      header: keyNames?.header ?? "Ocp-Apim-Subscription-Key",
      query: keyNames?.query ?? "subscription-key",
    },
    operations: imported?.operations ?? existing?.operations ?? [],
    components: imported ? imported.components : existing?.components,
    etag: etag(),
  };
  // Re-importing replaces the operations: policies of operations that are gone go with them.
  if (imported && existing) {
    const kept = new Set(api.operations.map((o) => o.id));
    for (const key of [...ctx.store.operationPolicies.keys()])
      if (key.startsWith(`${rawId}/`) && !kept.has(key.slice(rawId.length + 1))) ctx.store.operationPolicies.delete(key);
  }
  ctx.store.apis.set(rawId, api);
  const resource = () => apiContract(ctx, ctx.store.apis.get(rawId) ?? api);
  if (ctx.lroPolls <= 0) return withEtag(resource(), api.etag, existing ? 200 : 201);
  // An import runs in the background on Azure: 202 and a Location to poll for the result.
  const opId = randomUUID();
  ctx.store.operationResults.set(opId, { remaining: ctx.lroPolls - 1, resource });
  return { status: 202, headers: { location: `${ctx.baseUrl}${serviceId(ctx)}/operationresults/${opId}?api-version=2024-05-01` } };
}

function deleteApi(
  ctx: ArmContext,
  id: string,
  headers: Record<string, string | string[] | undefined>,
  deleteRevisions: boolean,
): ArmAnswer {
  const api = ctx.store.apis.get(id);
  requireIfMatch(headers, api?.etag);
  if (!api) return { status: 204 };
  const victims = deleteRevisions ? [...ctx.store.apis.keys()].filter((k) => k === id || k.startsWith(`${id};rev=`)) : [id];
  for (const v of victims) {
    ctx.store.apis.delete(v);
    ctx.store.apiPolicies.delete(v);
    for (const key of [...ctx.store.operationPolicies.keys()]) if (key.startsWith(`${v}/`)) ctx.store.operationPolicies.delete(key);
    for (const product of ctx.store.products.values()) product.apis = product.apis.filter((a) => a !== v);
  }
  return { status: 200 };
}

function policyContract(ctx: ArmContext, scope: string, xml: string) {
  return {
    id: `${serviceId(ctx)}${scope}/policies/policy`,
    type: "Microsoft.ApiManagement/service/apis/policies",
    name: "policy",
    properties: { format: "xml", value: xml },
  };
}

function putPolicy(body: unknown): string {
  const p = props(body);
  if (typeof p.value !== "string" || !p.value) invalid("value", "The policy content is required.");
  if (p.format !== undefined && p.format !== "xml" && p.format !== "rawxml")
    invalid("format", `The format '${String(p.format)}' is not supported for policies in this emulator.`);
  try {
    validatePolicy(String(p.value));
  } catch (error) {
    if (error instanceof PolicyValidationError) throw new ArmError(400, "ValidationError", error.message);
    throw error;
  }
  return String(p.value);
}

function productContract(ctx: ArmContext, p: ProductEntity) {
  return {
    id: `${serviceId(ctx)}/products/${p.id}`,
    type: "Microsoft.ApiManagement/service/products",
    name: p.id,
    properties: {
      displayName: p.displayName,
      description: p.description,
      subscriptionRequired: p.subscriptionRequired,
      approvalRequired: p.approvalRequired,
      state: p.state,
    },
  };
}

function subscriptionContract(ctx: ArmContext, s: SubscriptionEntity) {
  return {
    id: `${serviceId(ctx)}/subscriptions/${s.id}`,
    type: "Microsoft.ApiManagement/service/subscriptions",
    name: s.id,
    properties: { scope: `${serviceId(ctx)}${s.scope}`, displayName: s.displayName, state: s.state, createdDate: s.createdDate },
  };
}

/** Short form of a subscription scope: "/products/{id}", "/apis/{id}" or "/apis". */
function shortScope(ctx: ArmContext, scope: string): string {
  const lower = scope.toLowerCase();
  const prefix = serviceId(ctx).toLowerCase();
  const rest = lower.startsWith(prefix) ? scope.slice(prefix.length) : scope;
  const m = /^\/(products|apis)(?:\/([^/]+))?\/?$/i.exec(rest);
  if (!m) return invalid("scope", `The scope '${scope}' is not a product, an API or all APIs.`);
  if (m[1].toLowerCase() === "products") {
    if (!m[2] || !ctx.store.products.has(m[2])) return invalid("scope", `Product '${m[2] ?? ""}' does not exist.`);
    return `/products/${m[2]}`;
  }
  if (m[2] && !ctx.store.apis.has(m[2])) return invalid("scope", `API '${m[2]}' does not exist.`);
  return m[2] ? `/apis/${m[2]}` : "/apis";
}

export interface ArmRequest {
  method: string;
  url: URL;
  /** The part of the path after the service's resource id ("" for the service itself). */
  rest: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export function handleArm(ctx: ArmContext, req: ArmRequest): ArmAnswer {
  try {
    return route(ctx, req);
  } catch (error) {
    if (error instanceof ArmError) return errorAnswer(error);
    throw error;
  }
}

function route(ctx: ArmContext, req: ArmRequest): ArmAnswer {
  const { method, url, headers, body } = req;
  const s = ctx.store;
  const parts = req.rest.split("/").filter(Boolean).map(decodeURIComponent);
  const [collection, id, sub, subId, subSub, subSubId] = parts;
  const n = parts.length;

  if (n === 0 && method === "GET") {
    return {
      status: 200,
      body: {
        id: serviceId(ctx),
        name: ctx.serviceName,
        type: "Microsoft.ApiManagement/service",
        location: "West Europe",
        etag: "AAAAAAAAAAA=",
        sku: { name: "Developer", capacity: 1 },
        properties: {
          publisherEmail: "api@example.com",
          publisherName: "Meridian",
          provisioningState: "Succeeded",
          gatewayUrl: ctx.gatewayUrl,
          managementApiUrl: ctx.baseUrl,
          platformVersion: "stv2",
        },
      },
    };
  }

  if (collection === "operationresults" && n === 2 && method === "GET") {
    const op = s.operationResults.get(id) ?? notFound(`Operation '${id}'`);
    if (op.remaining > 0) {
      op.remaining--;
      return { status: 202, headers: { location: `${ctx.baseUrl}${url.pathname}${url.search}` } };
    }
    s.operationResults.delete(id);
    return { status: 200, body: op.resource() };
  }

  if (collection === "reports" && n === 2 && method === "GET") {
    if (id === "byApi") return page(ctx, url, reportsByApi(ctx, url));
    if (id === "byTime") return page(ctx, url, reportsByTime(ctx, url));
  }

  if (collection === "apis") {
    if (n === 1 && method === "GET")
      return page(
        ctx,
        url,
        [...s.apis.values()].map((a) => apiContract(ctx, a)),
      );
    const api = s.apis.get(id);
    if (n === 2) {
      if (method === "PUT") return putApi(ctx, id, body);
      if (method === "DELETE") return deleteApi(ctx, id, headers, url.searchParams.get("deleteRevisions") === "true");
      if (!api) notFound(`API '${id}'`);
      if (method === "HEAD") return { status: 200, headers: { etag: api!.etag } };
      if (method === "GET" && url.searchParams.get("export") === "true") return exportApi(ctx, api!, url.searchParams.get("format") ?? "");
      if (method === "GET") return withEtag(apiContract(ctx, api!), api!.etag);
    }
    if (!api) notFound(`API '${id}'`);
    if (sub === "operations") {
      if (n === 3 && method === "GET") {
        return page(
          ctx,
          url,
          api!.operations.map((o) => ({
            id: `${serviceId(ctx)}/apis/${api!.id}/operations/${o.id}`,
            type: "Microsoft.ApiManagement/service/apis/operations",
            name: o.id,
            properties: {
              displayName: o.displayName,
              method: o.method,
              urlTemplate: o.urlTemplate,
              templateParameters: o.templateParameters,
              description: o.description,
              responses: [],
            },
          })),
        );
      }
      const op = api!.operations.find((o) => o.id === subId) ?? notFound(`Operation '${subId}'`);
      const key = `${api!.id}/${op.id}`;
      if (n === 4 && method === "GET")
        return {
          status: 200,
          body: {
            id: `${serviceId(ctx)}/apis/${api!.id}/operations/${op.id}`,
            name: op.id,
            properties: { displayName: op.displayName, method: op.method, urlTemplate: op.urlTemplate },
          },
        };
      if (subSub === "policies" && n === 5 && method === "GET") {
        const xml = s.operationPolicies.get(key);
        return {
          status: 200,
          body: { value: xml ? [policyContract(ctx, `/apis/${api!.id}/operations/${op.id}`, xml)] : [], count: xml ? 1 : 0 },
        };
      }
      if (subSub === "policies" && subSubId === "policy" && n === 6) {
        if (method === "PUT") {
          const existed = s.operationPolicies.has(key);
          s.operationPolicies.set(key, putPolicy(body));
          return withEtag(
            policyContract(ctx, `/apis/${api!.id}/operations/${op.id}`, s.operationPolicies.get(key)!),
            etag(),
            existed ? 200 : 201,
          );
        }
        if (method === "GET")
          return withEtag(
            policyContract(ctx, `/apis/${api!.id}/operations/${op.id}`, s.operationPolicies.get(key) ?? notFound("Policy")),
            etag(),
          );
        if (method === "DELETE") {
          requireIfMatch(headers, undefined);
          return { status: s.operationPolicies.delete(key) ? 200 : 204 };
        }
      }
    }
    if (sub === "policies") {
      if (n === 3 && method === "GET") {
        const xml = s.apiPolicies.get(api!.id);
        return { status: 200, body: { value: xml ? [policyContract(ctx, `/apis/${api!.id}`, xml)] : [], count: xml ? 1 : 0 } };
      }
      if (subId === "policy" && n === 4) {
        if (method === "PUT") {
          const existed = s.apiPolicies.has(api!.id);
          s.apiPolicies.set(api!.id, putPolicy(body));
          return withEtag(policyContract(ctx, `/apis/${api!.id}`, s.apiPolicies.get(api!.id)!), etag(), existed ? 200 : 201);
        }
        if (method === "GET")
          return withEtag(policyContract(ctx, `/apis/${api!.id}`, s.apiPolicies.get(api!.id) ?? notFound("Policy")), etag());
        if (method === "DELETE") {
          requireIfMatch(headers, undefined);
          return { status: s.apiPolicies.delete(api!.id) ? 200 : 204 };
        }
      }
    }
  }

  if (collection === "apiVersionSets") {
    const contract = (v: NonNullable<ReturnType<typeof s.versionSets.get>>) => ({
      id: `${serviceId(ctx)}/apiVersionSets/${v.id}`,
      type: "Microsoft.ApiManagement/service/apiVersionSets",
      name: v.id,
      properties: {
        displayName: v.displayName,
        description: v.description,
        versioningScheme: v.versioningScheme,
        versionQueryName: v.versionQueryName,
        versionHeaderName: v.versionHeaderName,
      },
    });
    if (n === 1 && method === "GET") return page(ctx, url, [...s.versionSets.values()].map(contract));
    if (n === 2 && method === "PUT") {
      if (!validName(id)) invalid("versionSetId", `'${id}' is not a valid identifier.`);
      const p = props(body);
      if (typeof p.displayName !== "string" || !p.displayName) invalid("displayName", "The display name is required.");
      if (String(p.displayName).length > 100) invalid("displayName", "The display name must be at most 100 characters.");
      if (p.versioningScheme !== "Segment" && p.versioningScheme !== "Query" && p.versioningScheme !== "Header")
        invalid("versioningScheme", "The versioning scheme must be Segment, Query or Header.");
      if (p.versioningScheme === "Query" && !p.versionQueryName)
        invalid("versionQueryName", "The version query name is required for the Query scheme.");
      if (p.versioningScheme === "Header" && !p.versionHeaderName)
        invalid("versionHeaderName", "The version header name is required for the Header scheme.");
      const existed = s.versionSets.has(id);
      const v = {
        id,
        displayName: String(p.displayName),
        description: p.description as string | undefined,
        versioningScheme: p.versioningScheme as "Segment",
        versionQueryName: p.versionQueryName as string | undefined,
        versionHeaderName: p.versionHeaderName as string | undefined,
        etag: etag(),
      };
      s.versionSets.set(id, v);
      return withEtag(contract(v), v.etag, existed ? 200 : 201);
    }
    if (n === 2 && method === "GET") {
      const v = s.versionSets.get(id) ?? notFound(`API version set '${id}'`);
      return withEtag(contract(v), v.etag);
    }
    if (n === 2 && method === "DELETE") {
      const v = s.versionSets.get(id);
      requireIfMatch(headers, v?.etag);
      if (!v) return { status: 204 };
      const users = [...s.apis.values()].filter((a) => a.apiVersionSetId === id);
      if (users.length)
        throw new ArmError(409, "Conflict", `The API version set '${id}' is used by ${users.length} API(s) and cannot be deleted.`);
      s.versionSets.delete(id);
      return { status: 200 };
    }
  }

  if (collection === "products") {
    if (n === 1 && method === "GET")
      return page(
        ctx,
        url,
        [...s.products.values()].map((p) => productContract(ctx, p)),
      );
    const product = s.products.get(id);
    if (n === 2 && method === "PUT") {
      if (!validName(id)) invalid("productId", `'${id}' is not a valid product identifier.`);
      const p = props(body);
      if (typeof p.displayName !== "string" || !p.displayName) invalid("displayName", "The display name is required.");
      if (String(p.displayName).length > 300) invalid("displayName", "The display name must be at most 300 characters.");
      const subscriptionRequired = (p.subscriptionRequired as boolean | undefined) ?? true;
      if (p.approvalRequired === true && !subscriptionRequired)
        invalid("approvalRequired", "Approval can be required only when a subscription is required.");
      const entity: ProductEntity = {
        id,
        displayName: String(p.displayName),
        description: p.description as string | undefined,
        subscriptionRequired,
        approvalRequired: (p.approvalRequired as boolean | undefined) ?? false,
        state: p.state === "published" ? "published" : "notPublished",
        apis: product?.apis ?? [],
        etag: etag(),
      };
      s.products.set(id, entity);
      return withEtag(productContract(ctx, entity), entity.etag, product ? 200 : 201);
    }
    if (n === 2 && method === "GET") return withEtag(productContract(ctx, product ?? notFound(`Product '${id}'`)), product!.etag);
    if (n === 2 && method === "DELETE") {
      requireIfMatch(headers, product?.etag);
      if (!product) return { status: 204 };
      const subs = [...s.subscriptions.values()].filter((x) => x.scope === `/products/${id}`);
      if (subs.length && url.searchParams.get("deleteSubscriptions") !== "true") {
        throw new ArmError(
          409,
          "Conflict",
          `Product '${id}' has ${subs.length} subscription(s); delete them first or pass deleteSubscriptions=true.`,
        );
      }
      for (const x of subs) s.subscriptions.delete(x.id);
      s.products.delete(id);
      return { status: 200 };
    }
    if (!product) notFound(`Product '${id}'`);
    if (sub === "apis") {
      if (n === 3 && method === "GET")
        return page(
          ctx,
          url,
          product!.apis
            .map((a) => s.apis.get(a))
            .filter((a): a is ApiEntity => !!a)
            .map((a) => apiContract(ctx, a)),
        );
      if (n === 4 && method === "PUT") {
        const api = s.apis.get(subId) ?? notFound(`API '${subId}'`);
        const existed = product!.apis.includes(subId);
        if (!existed) product!.apis.push(subId);
        return { status: existed ? 200 : 201, body: apiContract(ctx, api) };
      }
      if (n === 4 && method === "HEAD") return { status: product!.apis.includes(subId) ? 204 : 404 };
      if (n === 4 && method === "DELETE") {
        const had = product!.apis.includes(subId);
        product!.apis = product!.apis.filter((a) => a !== subId);
        return { status: had ? 200 : 204 };
      }
    }
  }

  if (collection === "subscriptions") {
    if (n === 1 && method === "GET")
      return page(
        ctx,
        url,
        [...s.subscriptions.values()].map((x) => subscriptionContract(ctx, x)),
      );
    const existing = s.subscriptions.get(id);
    if (n === 2 && method === "PUT") {
      if (!validName(id)) invalid("sid", `'${id}' is not a valid subscription identifier.`);
      const p = props(body);
      if (typeof p.scope !== "string") invalid("scope", "The scope is required.");
      if (typeof p.displayName !== "string" || !p.displayName) invalid("displayName", "The display name is required.");
      if (String(p.displayName).length > 100) invalid("displayName", "The display name must be at most 100 characters.");
      for (const k of ["primaryKey", "secondaryKey"] as const) {
        if (p[k] !== undefined && (typeof p[k] !== "string" || String(p[k]).length < 1 || String(p[k]).length > 256))
          invalid(k, `The ${k} must be 1 to 256 characters.`);
      }
      const state = (p.state as string | undefined) ?? existing?.state ?? "submitted";
      if (!["suspended", "active", "expired", "submitted", "rejected", "cancelled"].includes(state))
        invalid("state", `Unknown state '${state}'.`);
      const entity: SubscriptionEntity = {
        id,
        displayName: String(p.displayName),
        scope: shortScope(ctx, String(p.scope)),
        state,
        primaryKey: (p.primaryKey as string | undefined) ?? existing?.primaryKey ?? randomBytes(16).toString("hex"),
        secondaryKey: (p.secondaryKey as string | undefined) ?? existing?.secondaryKey ?? randomBytes(16).toString("hex"),
        createdDate: existing?.createdDate ?? new Date().toISOString(),
        etag: etag(),
      };
      s.subscriptions.set(id, entity);
      return withEtag(subscriptionContract(ctx, entity), entity.etag, existing ? 200 : 201);
    }
    if (n === 2 && method === "GET")
      return withEtag(subscriptionContract(ctx, existing ?? notFound(`Subscription '${id}'`)), existing!.etag);
    if (n === 2 && method === "DELETE") {
      requireIfMatch(headers, existing?.etag);
      return { status: s.subscriptions.delete(id) ? 200 : 204 };
    }
    if (n === 3 && sub === "listSecrets" && method === "POST") {
      const x = existing ?? notFound(`Subscription '${id}'`);
      return { status: 200, body: { primaryKey: x.primaryKey, secondaryKey: x.secondaryKey } };
    }
  }

  throw new ArmError(
    404,
    "ResourceNotFound",
    `The resource path '${req.rest || "/"}' with method ${method} is not known to this emulator.`,
  );
}

function exportApi(ctx: ArmContext, api: ApiEntity, format: string): ArmAnswer {
  const document = exportOpenApi({
    displayName: api.displayName,
    description: api.description,
    apiVersion: api.apiVersion,
    serverUrl: [ctx.gatewayUrl, api.path, api.apiVersionSetId ? api.apiVersion : undefined].filter(Boolean).join("/"),
    operations: api.operations,
    components: api.components,
  });
  if (format === "openapi+json") return { status: 200, body: { id: `${serviceId(ctx)}/apis/${api.id}`, format, value: document } };
  if (format === "openapi+json-link") {
    // Azure hands out a blob URL with a SAS token, valid for five minutes; no bearer token needed.
    const token = randomBytes(12).toString("hex");
    ctx.store.exports.set(token, { document, expires: Date.now() + 5 * 60_000 });
    return {
      status: 200,
      body: {
        id: `${serviceId(ctx)}/apis/${api.id}`,
        format,
        value: { link: `${ctx.baseUrl}/_blob/apiexport/${api.id}.json?sv=2021-08-06&se=5m&sig=${token}` },
      },
    };
  }
  throw new ArmError(400, "ValidationError", `The export format '${format}' is not supported; use openapi+json-link or openapi+json.`);
}
