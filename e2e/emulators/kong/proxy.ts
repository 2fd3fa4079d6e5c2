import http from "node:http";
import https from "node:https";
import { createPublicKey } from "node:crypto";
import { compactVerify, decodeProtectedHeader } from "jose";
import type { Entity, Workspace } from "./store";

/**
 * Kong's proxy as far as the stored entities say: the router (regex and prefix paths, methods),
 * and the plugins jwt, key-auth, acl, rate-limiting, cors and request-transformer, run in
 * Kong's priority order with Kong's precedence of consumer, route and service scopes.
 */

type Res = http.ServerResponse;
const ref = (v: unknown) => (v as { id?: string } | null | undefined)?.id ?? null;
const PRIORITY = ["cors", "jwt", "key-auth", "acl", "rate-limiting", "request-transformer"];
const PERIODS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, month: 2592000, year: 31536000 };

interface RouteMatch {
  route: Entity;
  service: Entity | undefined;
  captures: Record<string, string>;
}

function matchRoute(ws: Workspace, method: string, path: string, host: string): RouteMatch | undefined {
  const candidates: Array<RouteMatch & { regex: boolean; length: number; priority: number }> = [];
  for (const route of ws.entities.routes.values()) {
    // A disabled service serves as if its routes did not exist.
    if (ws.entities.services.get(ref(route.service) ?? "")?.enabled === false) continue;
    const hosts = route.hosts as string[] | null;
    if (hosts?.length && !hosts.includes(host)) continue;
    const methods = route.methods as string[] | null;
    if (methods?.length && !methods.includes(method)) continue;
    for (const p of (route.paths as string[] | null) ?? ["/"]) {
      if (p.startsWith("~")) {
        const m = new RegExp(`^${p.slice(1)}`).exec(path);
        if (m)
          candidates.push({
            route,
            service: ws.entities.services.get(ref(route.service) ?? ""),
            captures: { ...(m.groups ?? {}) },
            regex: true,
            length: p.length,
            priority: Number(route.regex_priority ?? 0),
          });
      } else if (path.startsWith(p)) {
        candidates.push({
          route,
          service: ws.entities.services.get(ref(route.service) ?? ""),
          captures: {},
          regex: false,
          length: p.length,
          priority: 0,
        });
      }
    }
  }
  candidates.sort((a, b) => Number(b.regex) - Number(a.regex) || b.priority - a.priority || b.length - a.length);
  return candidates[0];
}

/** The one configuration of a plugin that applies: the most specific of consumer, route and service. */
function pluginFor(ws: Workspace, name: string, routeId: string, serviceId: string | null, consumerId: string | null): Entity | undefined {
  let best: { p: Entity; score: number } | undefined;
  for (const p of ws.entities.plugins.values()) {
    if (p.name !== name || p.enabled === false) continue;
    const r = ref(p.route);
    const s = ref(p.service);
    const c = ref(p.consumer);
    if ((r && r !== routeId) || (s && s !== serviceId) || (c && c !== consumerId)) continue;
    // Kong's order: consumer+route+service, consumer+route, consumer+service, route+service, consumer, route, service, global.
    const score = c && r && s ? 8 : c && r ? 7 : c && s ? 6 : r && s ? 5 : c ? 4 : r ? 3 : s ? 2 : 1;
    if (!best || score > best.score) best = { p, score };
  }
  return best?.p;
}

const send = (res: Res, status: number, body: unknown, headers: Record<string, string> = {}) => {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", server: "kong/3.9.0", ...headers });
  res.end(JSON.stringify(body));
};

export function createProxy(workspaceOf: () => Workspace) {
  const counters = new Map<string, number>();

  async function handle(req: http.IncomingMessage, res: Res): Promise<void> {
    const ws = workspaceOf();
    const url = new URL(req.url ?? "/", "http://proxy");
    const method = (req.method ?? "GET").toUpperCase();
    const match = matchRoute(ws, method, url.pathname, String(req.headers.host ?? "").replace(/:\d+$/, ""));
    if (!match) return send(res, 404, { message: "no Route matched with those values" });
    const routeId = match.route.id;
    const serviceId = match.service?.id ?? null;
    let consumer: Entity | undefined;
    const extraHeaders: Record<string, string> = {};
    let upstreamPath: string | undefined;

    for (const name of PRIORITY) {
      const plugin = pluginFor(ws, name, routeId, serviceId, consumer?.id ?? null);
      if (!plugin) continue;
      const config = plugin.config as Record<string, unknown>;
      const origin = req.headers.origin;
      if (name === "cors") {
        const origins = (config.origins as string[] | null) ?? ["*"];
        const allowed = origins.includes("*") ? "*" : origin && origins.includes(origin) ? origin : undefined;
        if (allowed) extraHeaders["access-control-allow-origin"] = allowed;
        if (allowed && allowed !== "*") extraHeaders.vary = "Origin";
        if (config.credentials && allowed) extraHeaders["access-control-allow-credentials"] = "true";
        if (method === "OPTIONS" && origin && req.headers["access-control-request-method"] && !config.preflight_continue) {
          const headers: Record<string, string> = { ...extraHeaders };
          const methods = (config.methods as string[] | null) ?? [
            "GET",
            "HEAD",
            "PUT",
            "PATCH",
            "POST",
            "DELETE",
            "OPTIONS",
            "TRACE",
            "CONNECT",
          ];
          headers["access-control-allow-methods"] = methods.join(",");
          const allowHeaders =
            (config.headers as string[] | null)?.join(",") ?? (req.headers["access-control-request-headers"] as string | undefined);
          if (allowHeaders) headers["access-control-allow-headers"] = allowHeaders;
          if (typeof config.max_age === "number") headers["access-control-max-age"] = String(config.max_age);
          res.writeHead(200, { server: "kong/3.9.0", "content-length": "0", ...headers });
          res.end();
          return;
        }
        continue;
      }
      if (name === "jwt") {
        if (method === "OPTIONS" && config.run_on_preflight === false) continue;
        const header = ((config.header_names as string[]) ?? ["authorization"])
          .map((h) => req.headers[h.toLowerCase()])
          .find((v) => typeof v === "string") as string | undefined;
        const token = header?.replace(/^bearer\s+/i, "");
        if (!token) return send(res, 401, { message: "Unauthorized" }, extraHeaders);
        const parts = token.split(".");
        if (parts.length !== 3) return send(res, 401, { message: "Bad token; invalid JSON" }, extraHeaders);
        let claims: Record<string, unknown>;
        let alg: string | undefined;
        try {
          claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
          alg = decodeProtectedHeader(token).alg;
        } catch {
          return send(res, 401, { message: "Bad token; invalid JSON" }, extraHeaders);
        }
        const claimName = String(config.key_claim_name ?? "iss");
        const key = claims[claimName];
        if (typeof key !== "string") return send(res, 401, { message: `No mandatory '${claimName}' in claims` }, extraHeaders);
        const secret = [...ws.entities.jwt_secrets.values()].find((s) => s.key === key);
        if (!secret) return send(res, 401, { message: `No credentials found for given '${claimName}'` }, extraHeaders);
        if (secret.algorithm !== alg) return send(res, 401, { message: "Invalid algorithm" }, extraHeaders);
        try {
          await compactVerify(token, createPublicKey(String(secret.rsa_public_key)));
        } catch {
          return send(res, 401, { message: "Invalid signature" }, extraHeaders);
        }
        const verify = (config.claims_to_verify as string[] | null) ?? [];
        const nowS = Math.floor(Date.now() / 1000);
        if (verify.includes("exp")) {
          if (typeof claims.exp !== "number") return send(res, 401, { exp: "must be a number" }, extraHeaders);
          if (claims.exp <= nowS) return send(res, 401, { exp: "token expired" }, extraHeaders);
        }
        if (verify.includes("nbf") && typeof claims.nbf === "number" && claims.nbf > nowS)
          return send(res, 401, { nbf: "token not valid yet" }, extraHeaders);
        consumer = ws.entities.consumers.get(ref(secret.consumer) ?? "");
        extraHeaders["x-credential-identifier"] = String(secret.key);
        continue;
      }
      if (name === "key-auth") {
        if (method === "OPTIONS" && config.run_on_preflight === false) continue;
        const names = (config.key_names as string[]) ?? ["apikey"];
        let key: string | undefined;
        if (config.key_in_header !== false)
          key = names.map((n) => req.headers[n.toLowerCase()]).find((v) => typeof v === "string") as string | undefined;
        if (!key && config.key_in_query !== false) key = names.map((n) => url.searchParams.get(n)).find((v) => v !== null) ?? undefined;
        if (!key)
          return send(res, 401, { message: "No API key found in request" }, { "www-authenticate": 'Key realm="kong"', ...extraHeaders });
        const cred = [...ws.entities.keyauth_credentials.values()].find((c) => c.key === key);
        if (!cred)
          return send(
            res,
            401,
            { message: "Invalid authentication credentials" },
            { "www-authenticate": 'Key realm="kong"', ...extraHeaders },
          );
        consumer = ws.entities.consumers.get(ref(cred.consumer) ?? "");
        extraHeaders["x-credential-identifier"] = cred.id;
        continue;
      }
      if (name === "acl") {
        if (!consumer) return send(res, 401, { message: "Unauthorized" }, extraHeaders);
        const groups = [...ws.entities.acls.values()].filter((a) => ref(a.consumer) === consumer!.id).map((a) => String(a.group));
        const allow = config.allow as string[] | null;
        const deny = config.deny as string[] | null;
        const ok = allow ? groups.some((g) => allow.includes(g)) : !groups.some((g) => deny?.includes(g));
        if (!ok) return send(res, 403, { message: "You cannot consume this service" }, extraHeaders);
        if (!config.hide_groups_header) extraHeaders["x-consumer-groups"] = groups.join(", ");
        continue;
      }
      if (name === "rate-limiting") {
        const by = String(config.limit_by ?? "consumer");
        const identifier =
          by === "consumer"
            ? (consumer?.id ?? req.socket.remoteAddress ?? "")
            : by === "service"
              ? (serviceId ?? "")
              : by === "ip"
                ? (req.socket.remoteAddress ?? "")
                : (consumer?.id ?? "");
        const nowS = Math.floor(Date.now() / 1000);
        let exceeded: { period: string; reset: number } | undefined;
        const headers: Record<string, string> = {};
        let tightest: { limit: number; remaining: number; reset: number } | undefined;
        const usage: Array<{ key: string }> = [];
        for (const [period, seconds] of Object.entries(PERIODS)) {
          const limit = config[period];
          if (typeof limit !== "number") continue;
          const window = Math.floor(nowS / seconds);
          const key = `${plugin.id}|${identifier}|${period}|${window}`;
          const used = counters.get(key) ?? 0;
          const reset = (window + 1) * seconds - nowS;
          const remaining = Math.max(0, limit - used - 1);
          const title = period[0].toUpperCase() + period.slice(1);
          headers[`x-ratelimit-limit-${period}`] = String(limit);
          headers[`x-ratelimit-remaining-${period}`] = String(used >= limit ? 0 : remaining);
          if (used >= limit && !exceeded) exceeded = { period: title, reset };
          if (!tightest || remaining < tightest.remaining) tightest = { limit, remaining: used >= limit ? 0 : remaining, reset };
          usage.push({ key });
        }
        if (tightest && !config.hide_client_headers) {
          headers["ratelimit-limit"] = String(tightest.limit);
          headers["ratelimit-remaining"] = String(tightest.remaining);
          headers["ratelimit-reset"] = String(tightest.reset);
          Object.assign(extraHeaders, headers);
        }
        if (exceeded) {
          return send(
            res,
            Number(config.error_code ?? 429),
            { message: String(config.error_message ?? "API rate limit exceeded") },
            {
              ...extraHeaders,
              "retry-after": String(exceeded.reset),
            },
          );
        }
        for (const u of usage) counters.set(u.key, (counters.get(u.key) ?? 0) + 1);
        continue;
      }
      if (name === "request-transformer") {
        const uri = (config.replace as { uri?: string } | undefined)?.uri;
        if (uri)
          upstreamPath = uri.replace(
            /\$\(uri_captures(?:\["([^"]+)"\]|\.([A-Za-z_][A-Za-z0-9_]*))\)/g,
            (_m, a: string, b: string) => match.captures[a ?? b] ?? "",
          );
      }
    }

    const service = match.service;
    if (!service) return send(res, 503, { message: "failure to get a peer from the ring-balancer" });
    const base = (service.path as string | null) ?? "";
    let path = upstreamPath;
    if (path === undefined) {
      let rest = url.pathname;
      if (match.route.strip_path !== false) {
        const p = ((match.route.paths as string[] | null) ?? ["/"]).find((x) => !x.startsWith("~") && url.pathname.startsWith(x));
        if (p) rest = url.pathname.slice(p.length);
      }
      path = `${base}${rest.startsWith("/") || !rest ? rest : `/${rest}`}` || "/";
    }
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    delete headers.host;
    if (match.route.preserve_host) headers.host = req.headers.host;
    if (consumer) {
      headers["x-consumer-id"] = consumer.id;
      if (consumer.username) headers["x-consumer-username"] = String(consumer.username);
      if (consumer.custom_id) headers["x-consumer-custom-id"] = String(consumer.custom_id);
    }
    if (extraHeaders["x-credential-identifier"]) headers["x-credential-identifier"] = extraHeaders["x-credential-identifier"];
    if (extraHeaders["x-consumer-groups"]) headers["x-consumer-groups"] = extraHeaders["x-consumer-groups"];
    headers["x-forwarded-prefix"] = url.pathname;
    const mod = service.protocol === "https" ? https : http;
    const upstream = mod.request(
      { host: String(service.host), port: Number(service.port), method, path: `${path}${url.search}`, headers },
      (up) => {
        const out: http.OutgoingHttpHeaders = { ...up.headers, via: "kong/3.9.0" };
        for (const [k, v] of Object.entries(extraHeaders)) if (!k.startsWith("x-credential") && k !== "x-consumer-groups") out[k] = v;
        res.writeHead(up.statusCode ?? 502, out);
        up.pipe(res);
      },
    );
    upstream.on("error", () => send(res, 502, { message: "An invalid response was received from the upstream server" }));
    req.pipe(upstream);
  }

  return { handle, reset: () => counters.clear() };
}
