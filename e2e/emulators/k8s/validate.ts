import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import type { Obj, ResourceType } from "./store";

/** One entry of a 422 Invalid status's details.causes, as the API server writes it. */
export interface Cause {
  reason: "FieldValueRequired" | "FieldValueInvalid" | "FieldValueNotSupported" | "FieldValueTooMany";
  message: string;
  field: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const RATE_UNITS = ["Second", "Minute", "Hour", "Day", "Month", "Year"];
const HEADER_MATCH_TYPES = ["Exact", "RegularExpression", "Distinct"];

/** "/spec/rules/0/name" → "spec.rules[0].name", as causes name fields. */
const fieldOf = (pointer: string) =>
  pointer
    .split("/")
    .filter(Boolean)
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : `${i ? "." : ""}${p}`))
    .join("");

const required = (field: string): Cause => ({ reason: "FieldValueRequired", message: "Required value", field });
const unsupported = (field: string, value: unknown, allowed: string[]): Cause => ({
  reason: "FieldValueNotSupported",
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(", ")}`,
  field,
});
const invalid = (field: string, value: unknown, why: string): Cause => ({
  reason: "FieldValueInvalid",
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
  field,
});

type Spec = Record<string, unknown>;
const arr = (v: unknown) => (Array.isArray(v) ? (v as Spec[]) : undefined);

function targetRefs(spec: Spec, causes: Cause[]): void {
  const refs = arr(spec.targetRefs);
  if (!refs?.length && !spec.targetRef && !spec.targetSelectors) causes.push(required("spec.targetRefs"));
  refs?.forEach((r, i) => {
    if (!r.name) causes.push(required(`spec.targetRefs[${i}].name`));
    if (!r.kind) causes.push(required(`spec.targetRefs[${i}].kind`));
  });
}

/** Structural schema checks of the CRDs' OpenAPI schemas, for the fields Meridian writes. */
export function validate(type: ResourceType, obj: Obj): Cause[] {
  const causes: Cause[] = [];
  const name = obj.metadata?.name;
  if (!name) causes.push(required("metadata.name"));
  else if (!DNS_SUBDOMAIN.test(name) || name.length > 253)
    causes.push(
      invalid("metadata.name", name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'"),
    );
  for (const [k, v] of Object.entries(obj.metadata?.labels ?? {})) {
    if (typeof v !== "string" || v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v))
      causes.push(
        invalid(
          `metadata.labels`,
          v,
          `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.' (label ${k})`,
        ),
      );
  }
  const spec = (obj.spec ?? {}) as Spec;
  switch (type.kind) {
    case "HTTPRoute": {
      try {
        new HTTPRoute(obj as never).validate();
      } catch (error) {
        const e =
          (
            error as {
              errors?: Array<{
                instancePath: string;
                keyword: string;
                params: { allowedValues?: string[]; missingProperty?: string };
                message?: string;
                data?: unknown;
              }>;
            }
          ).errors ?? [];
        for (const x of e) {
          const field = fieldOf(x.instancePath);
          if (x.keyword === "enum") causes.push(unsupported(field, x.data, x.params.allowedValues ?? []));
          else if (x.keyword === "required") causes.push(required(`${field ? `${field}.` : ""}${x.params.missingProperty}`));
          else if (x.keyword === "maxItems")
            causes.push({ reason: "FieldValueTooMany", message: `Too many: ${(x.data as unknown[]).length}: ${x.message}`, field });
          else causes.push(invalid(field, x.data, x.message ?? "invalid"));
        }
      }
      const rules = arr(spec.rules) ?? [];
      if (rules.length > 16)
        causes.push({ reason: "FieldValueTooMany", message: `Too many: ${rules.length}: must have at most 16 items`, field: "spec.rules" });
      rules.forEach((r, i) => {
        if (r.name !== undefined && (typeof r.name !== "string" || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(r.name) || r.name.length > 253))
          causes.push(invalid(`spec.rules[${i}].name`, r.name, "must be a lowercase RFC 1123 label"));
      });
      break;
    }
    case "Backend": {
      const endpoints = arr(spec.endpoints);
      if (!endpoints?.length) causes.push(required("spec.endpoints"));
      endpoints?.forEach((e, i) => {
        const fqdn = e.fqdn as Spec | undefined;
        const ip = e.ip as Spec | undefined;
        if (!fqdn && !ip && !e.unix) causes.push(invalid(`spec.endpoints[${i}]`, e, "one of fqdn, ip or unix must be specified"));
        const port = (fqdn ?? ip)?.port;
        if ((fqdn || ip) && (typeof port !== "number" || port < 0 || port > 65535))
          causes.push(invalid(`spec.endpoints[${i}].${fqdn ? "fqdn" : "ip"}.port`, port, "must be a port number"));
      });
      break;
    }
    case "HTTPRouteFilter": {
      const path = ((spec.urlRewrite as Spec | undefined)?.path ?? undefined) as Spec | undefined;
      if (path && !["ReplaceRegexMatch"].includes(String(path.type)))
        causes.push(unsupported("spec.urlRewrite.path.type", path.type, ["ReplaceRegexMatch"]));
      if (path?.type === "ReplaceRegexMatch" && !(path.replaceRegexMatch as Spec | undefined)?.pattern)
        causes.push(required("spec.urlRewrite.path.replaceRegexMatch.pattern"));
      break;
    }
    case "SecurityPolicy": {
      targetRefs(spec, causes);
      const providers = arr((spec.jwt as Spec | undefined)?.providers);
      providers?.forEach((p, i) => {
        if (!p.name) causes.push(required(`spec.jwt.providers[${i}].name`));
        const uri = (p.remoteJWKS as Spec | undefined)?.uri;
        if (!p.localJWKS && !(typeof uri === "string" && /^https?:\/\//.test(uri)))
          causes.push(invalid(`spec.jwt.providers[${i}].remoteJWKS.uri`, uri, "must be an http or https URI"));
      });
      const authorization = spec.authorization as Spec | undefined;
      if (authorization?.defaultAction !== undefined && !["Allow", "Deny"].includes(String(authorization.defaultAction)))
        causes.push(unsupported("spec.authorization.defaultAction", authorization.defaultAction, ["Allow", "Deny"]));
      arr(authorization?.rules)?.forEach((r, i) => {
        if (!["Allow", "Deny"].includes(String(r.action)))
          causes.push(unsupported(`spec.authorization.rules[${i}].action`, r.action, ["Allow", "Deny"]));
        if (!r.principal) causes.push(required(`spec.authorization.rules[${i}].principal`));
        const jwtPrincipal = (r.principal as Spec | undefined)?.jwt as Spec | undefined;
        arr(jwtPrincipal?.claims)?.forEach((c, j) => {
          if (!arr(c.values)?.length) causes.push(required(`spec.authorization.rules[${i}].principal.jwt.claims[${j}].values`));
        });
      });
      const apiKey = spec.apiKeyAuth as Spec | undefined;
      if (apiKey) {
        if (!arr(apiKey.credentialRefs)?.length) causes.push(required("spec.apiKeyAuth.credentialRefs"));
        if (!arr(apiKey.extractFrom)?.length) causes.push(required("spec.apiKeyAuth.extractFrom"));
      }
      break;
    }
    case "BackendTrafficPolicy": {
      targetRefs(spec, causes);
      const rl = spec.rateLimit as Spec | undefined;
      if (rl) {
        if (!["Global", "Local"].includes(String(rl.type))) causes.push(unsupported("spec.rateLimit.type", rl.type, ["Global", "Local"]));
        const rules = arr(((rl.global ?? rl.local) as Spec | undefined)?.rules) ?? [];
        rules.forEach((r, i) => {
          const at = `spec.rateLimit.${rl.global ? "global" : "local"}.rules[${i}]`;
          const limit = r.limit as Spec | undefined;
          if (!limit) causes.push(required(`${at}.limit`));
          else {
            if (!Number.isInteger(limit.requests) || (limit.requests as number) < 0)
              causes.push(invalid(`${at}.limit.requests`, limit.requests, "must be a non-negative integer"));
            if (!RATE_UNITS.includes(String(limit.unit))) causes.push(unsupported(`${at}.limit.unit`, limit.unit, RATE_UNITS));
          }
          arr(r.clientSelectors)?.forEach((s, j) =>
            arr(s.headers)?.forEach((h, k) => {
              if (!HEADER_MATCH_TYPES.includes(String(h.type ?? "Exact")))
                causes.push(unsupported(`${at}.clientSelectors[${j}].headers[${k}].type`, h.type, HEADER_MATCH_TYPES));
              if (h.type !== "Distinct" && typeof h.value !== "string")
                causes.push(required(`${at}.clientSelectors[${j}].headers[${k}].value`));
            }),
          );
        });
      }
      break;
    }
    case "Secret": {
      for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) {
        if (!SECRET_KEY.test(k))
          causes.push(invalid(`data[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"));
        if (typeof v !== "string" || !BASE64.test(v))
          causes.push(invalid(`data[${k}]`, "<secret contents redacted>", "illegal base64 data"));
      }
      break;
    }
  }
  return causes;
}
