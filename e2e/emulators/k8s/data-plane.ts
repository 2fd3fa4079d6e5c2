import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { K8sStore, Obj } from "./store";

type Json = Record<string, unknown>;

const ok = (obj: Obj | undefined, type: string) =>
  !!obj &&
  [
    ...(((obj.status as Json | undefined)?.parents as Json[] | undefined) ?? []),
    ...(((obj.status as Json | undefined)?.ancestors as Json[] | undefined) ?? []),
  ].some((p) => (p.conditions as Json[]).some((c) => c.type === type && c.status === "True"));

const WINDOW_MS: Record<string, number> = {
  Second: 1000,
  Minute: 60_000,
  Hour: 3_600_000,
  Day: 86_400_000,
  Month: 30 * 86_400_000,
  Year: 365 * 86_400_000,
};

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "text/plain", "content-length": String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/** RE2 patterns of Gateway API matches, matched against the whole path as Envoy does. */
const fullMatch = (pattern: string, text: string) => new RegExp(`^(?:${pattern})$`).test(text);

/**
 * Envoy as Envoy Gateway programs it from accepted HTTPRoutes and their policies: route
 * matching, CORS, JWT through the provider's remote JWKS, API keys from Secrets, global rate
 * limits (429), the HTTPRouteFilter path rewrite and the proxying to a Backend or Service.
 */
export function createDataPlane(store: K8sStore, serviceTargets: () => Record<string, string>) {
  const jwks = new Map<string, JWTVerifyGetKey>();
  const counters = new Map<string, { window: number; count: number }>();

  function findRoute(method: string, path: string): { route: Obj; rule: Json } | undefined {
    const candidates: Array<{ route: Obj; rule: Json; rank: number; length: number }> = [];
    for (const route of store.objects.values()) {
      if (route.kind !== "HTTPRoute" || !ok(route, "Accepted") || !ok(route, "ResolvedRefs")) continue;
      for (const rule of ((route.spec as Json).rules as Json[]) ?? []) {
        for (const m of (rule.matches as Json[]) ?? [{ path: { type: "PathPrefix", value: "/" } }]) {
          if (m.method && m.method !== method) continue;
          const p = (m.path ?? { type: "PathPrefix", value: "/" }) as { type: string; value: string };
          const hit =
            p.type === "Exact"
              ? path === p.value
              : p.type === "RegularExpression"
                ? fullMatch(p.value, path)
                : path === p.value || path.startsWith(p.value.endsWith("/") ? p.value : `${p.value}/`) || p.value === "/";
          if (hit) candidates.push({ route, rule, rank: p.type === "Exact" ? 0 : p.type === "PathPrefix" ? 1 : 2, length: p.value.length });
        }
      }
    }
    candidates.sort((a, b) => a.rank - b.rank || b.length - a.length);
    return candidates[0];
  }

  const policiesOf = (kind: string, route: Obj) =>
    [...store.objects.values()].filter(
      (o) =>
        o.kind === kind &&
        o.metadata.namespace === route.metadata.namespace &&
        ok(o, "Accepted") &&
        (((o.spec as Json).targetRefs as Json[]) ?? []).some((r) => r.kind === "HTTPRoute" && r.name === route.metadata.name),
    );

  /** A rule's own policy (sectionName) wins over the route's, as in Envoy Gateway. */
  function trafficPolicy(route: Obj, rule: Json): Obj | undefined {
    const all = policiesOf("BackendTrafficPolicy", route);
    const refs = (o: Obj) => ((o.spec as Json).targetRefs as Json[]).filter((r) => r.name === route.metadata.name);
    return all.find((o) => refs(o).some((r) => r.sectionName === rule.name)) ?? all.find((o) => refs(o).some((r) => !r.sectionName));
  }

  function corsHeaders(cors: Json | undefined, origin: string | undefined): Record<string, string> | undefined {
    if (!cors || !origin) return undefined;
    const origins = (cors.allowOrigins as string[]) ?? [];
    const allowed = origins.some(
      (o) => o === "*" || o === origin || (o.includes("*") && fullMatch(o.replace(/[.]/g, "\\.").replace(/\*/g, "[^.]+"), origin)),
    );
    if (!allowed) return undefined;
    return {
      "access-control-allow-origin": origin,
      ...(cors.allowCredentials ? { "access-control-allow-credentials": "true" } : {}),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://data-plane");
    const method = req.method ?? "GET";
    const origin = req.headers.origin;
    const preflight = method === "OPTIONS" && origin && req.headers["access-control-request-method"];
    const found = findRoute(preflight ? String(req.headers["access-control-request-method"]) : method, url.pathname);
    if (!found) return send(res, 404, "");
    const { route, rule } = found;
    const security = policiesOf("SecurityPolicy", route)[0]?.spec as Json | undefined;
    const cors = security?.cors as Json | undefined;
    const corsOut = corsHeaders(cors, origin);
    if (preflight) {
      if (!corsOut) return send(res, 200, "");
      return send(res, 200, "", {
        ...corsOut,
        "access-control-allow-methods": ((cors!.allowMethods as string[]) ?? []).join(","),
        "access-control-allow-headers": ((cors!.allowHeaders as string[]) ?? []).join(","),
      });
    }
    const headers: Record<string, string | string[] | undefined> = { ...req.headers };

    const jwt = security?.jwt as Json | undefined;
    let claims: { provider: string; payload: Record<string, unknown> } | undefined;
    if (jwt) {
      const auth = String(req.headers.authorization ?? "");
      if (!/^Bearer /i.test(auth))
        return send(res, 401, "Jwt is missing", { "www-authenticate": 'Bearer realm="http://data-plane"', ...corsOut });
      let verified = false;
      for (const p of (jwt.providers as Json[]) ?? []) {
        const uri = String((p.remoteJWKS as Json).uri);
        if (!jwks.has(uri)) jwks.set(uri, createRemoteJWKSet(new URL(uri)));
        try {
          const { payload } = await jwtVerify(auth.slice(7), jwks.get(uri)!, {
            issuer: p.issuer as string | undefined,
            audience: (p.audiences as string[] | undefined)?.length ? (p.audiences as string[]) : undefined,
          });
          for (const c of (p.claimToHeaders as Json[]) ?? [])
            if (payload[String(c.claim)] !== undefined) headers[String(c.header).toLowerCase()] = String(payload[String(c.claim)]);
          claims = { provider: String(p.name), payload };
          verified = true;
          break;
        } catch {
          // The next provider, if any.
        }
      }
      if (!verified)
        return send(res, 401, "Jwt verification fails", {
          "www-authenticate": 'Bearer realm="http://data-plane", error="invalid_token"',
          ...corsOut,
        });
    }

    // Authorization: the first rule whose principal matches decides, else the default action.
    const authorization = security?.authorization as Json | undefined;
    if (authorization) {
      const rule = ((authorization.rules as Json[] | undefined) ?? []).find((r) => {
        const jwtPrincipal = ((r.principal ?? {}) as Json).jwt as Json | undefined;
        if (!jwtPrincipal || !claims || claims.provider !== jwtPrincipal.provider) return false;
        return ((jwtPrincipal.claims as Json[] | undefined) ?? []).every((c) => {
          const v = claims!.payload[String(c.name)];
          const values = (c.values as string[]) ?? [];
          return Array.isArray(v) ? v.some((x) => values.includes(String(x))) : v !== undefined && values.includes(String(v));
        });
      });
      const action = rule ? rule.action : (authorization.defaultAction ?? "Deny");
      if (action !== "Allow") return send(res, 403, "RBAC: access denied", corsOut);
    }

    const apiKey = security?.apiKeyAuth as Json | undefined;
    if (apiKey) {
      const names = ((apiKey.extractFrom as Json[]) ?? []).flatMap((e) => ((e.headers as string[]) ?? []).map((h) => h.toLowerCase()));
      const name = names.find((h) => req.headers[h]);
      const value = name ? String(req.headers[name]) : undefined;
      if (!value) return send(res, 401, "Client ID not found", corsOut);
      let client: string | undefined;
      for (const ref of (apiKey.credentialRefs as Json[]) ?? []) {
        const secret = [...store.objects.values()].find(
          (o) => o.kind === "Secret" && o.metadata.namespace === route.metadata.namespace && o.metadata.name === ref.name,
        );
        for (const [id, v] of Object.entries((secret?.data as Record<string, string> | undefined) ?? {}))
          if (Buffer.from(v, "base64").toString("utf8") === value) client = id;
      }
      if (!client) return send(res, 401, "Client ID not found", corsOut);
      if (apiKey.sanitize) for (const h of names) delete headers[h];
      if (apiKey.forwardClientIDHeader) headers[String(apiKey.forwardClientIDHeader).toLowerCase()] = client;
    }

    const policy = trafficPolicy(route, rule);
    const rules = (
      (((policy?.spec as Json | undefined)?.rateLimit as Json | undefined)?.global ??
        ((policy?.spec as Json | undefined)?.rateLimit as Json | undefined)?.local) as Json | undefined
    )?.rules as Json[] | undefined;
    const now = Date.now();
    for (const [i, r] of (rules ?? []).entries()) {
      const selectors = (r.clientSelectors as Json[] | undefined) ?? [];
      let bucket = `${policy!.metadata.uid}/${i}`;
      const matches = selectors.every((s) =>
        ((s.headers as Json[]) ?? []).every((h) => {
          const v = headers[String(h.name).toLowerCase()];
          if (v === undefined) return false;
          if (h.type === "Distinct") {
            bucket += `/${String(v)}`;
            return true;
          }
          return h.type === "RegularExpression" ? fullMatch(String(h.value), String(v)) : v === h.value;
        }),
      );
      if (!matches) continue;
      const limit = r.limit as { requests: number; unit: string };
      const window = Math.floor(now / WINDOW_MS[limit.unit]);
      const c = counters.get(bucket);
      const count = c && c.window === window ? c.count + 1 : 1;
      counters.set(bucket, { window, count });
      if (count > limit.requests) return send(res, 429, "", { "x-envoy-ratelimited": "true", ...corsOut });
    }

    let path = url.pathname;
    for (const f of (rule.filters as Json[]) ?? []) {
      const ref = f.extensionRef as Json | undefined;
      if (!ref) continue;
      const filter = [...store.objects.values()].find(
        (o) => o.kind === ref.kind && o.metadata.name === ref.name && o.metadata.namespace === route.metadata.namespace,
      );
      const rewrite = ((filter?.spec as Json | undefined)?.urlRewrite as Json | undefined)?.path as Json | undefined;
      const rx = rewrite?.replaceRegexMatch as { pattern: string; substitution: string } | undefined;
      if (rx) path = path.replace(new RegExp(rx.pattern, "g"), rx.substitution) || "/";
    }

    const backendRef = ((rule.backendRefs as Json[]) ?? [])[0];
    let target: URL | undefined;
    if (backendRef?.kind === "Backend") {
      const backend = [...store.objects.values()].find(
        (o) => o.kind === "Backend" && o.metadata.name === backendRef.name && o.metadata.namespace === route.metadata.namespace,
      );
      const spec = backend?.spec as Json | undefined;
      const e = ((spec?.endpoints as Json[]) ?? [])[0];
      const host = ((e?.fqdn ?? e?.ip) as Json | undefined) ?? {};
      const address = String(host.hostname ?? host.address);
      if (e) target = new URL(`${spec?.tls ? "https" : "http"}://${address.includes(":") ? `[${address}]` : address}:${String(host.port)}`);
    } else if (backendRef) {
      const base = serviceTargets()[String(backendRef.name)];
      if (base) target = new URL(base);
    }
    if (!target) return send(res, 503, "no healthy upstream", corsOut);
    delete headers.host;
    const upstream = (target.protocol === "https:" ? https : http).request(
      {
        hostname: target.hostname.replace(/^\[|\]$/g, ""),
        port: target.port,
        method,
        path: `${path}${url.search}`,
        headers: { ...headers, host: target.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, { ...up.headers, ...corsOut });
        up.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent)
        send(res, 503, "upstream connect error or disconnect/reset before headers. reset reason: connection failure", corsOut);
    });
    req.pipe(upstream);
  }

  return {
    handle: (req: IncomingMessage, res: ServerResponse) =>
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, (error as Error).message);
      }),
    reset: () => {
      counters.clear();
      jwks.clear();
    },
  };
}
