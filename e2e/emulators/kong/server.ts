import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseFaults, takeFault, type Fault } from "../aws/faults";
import { Crash } from "../crash";
import { routeAdmin } from "./admin";
import { configHash, exportDeclarative, loadDeclarative } from "./config";
import { createProxy } from "./proxy";
import { KongError, notFound } from "./schema";
import { createState, resetState, type KongState, type Workspace } from "./store";

/**
 * An emulator of Kong Gateway 3.x for tests and local runs: the Admin API (with a database or
 * DB-less, optional RBAC token and workspaces, and Konnect's control-plane core entities) on one
 * port, the proxy on a second. State lives in memory only.
 */

export const DEFAULT_ADMIN_TOKEN = "kong-emulator-admin-token";

export interface KongEmulatorOptions {
  port?: number;
  proxyPort?: number;
  host?: string;
  mode?: "database" | "dbless";
  /** Kong-Admin-Token values accepted; none means the Admin API is open, as Kong OSS is. */
  adminTokens?: string[];
  workspaces?: string[];
  /** Konnect control planes served under /v2/control-planes/{id}/core-entities, with the bearer tokens they accept. */
  controlPlanes?: string[];
  konnectTokens?: string[];
  /** Pages hold at most this many entities whatever `size` asks (Kong's own limit is 1000). */
  maxPageSize?: number;
}

export interface KongEmulator {
  adminUrl: string;
  proxyUrl: string;
  faults: Fault[];
  crash: Crash;
  state: KongState;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;
const COLLECTIONS = new Set(["services", "routes", "consumers", "plugins", "key-auths", "jwts", "acls", "config", "status"]);

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new KongError(413, { message: "request body too large" }));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const sendJson = (res: http.ServerResponse, status: number, body: unknown): void => {
  if (body === undefined) {
    res.writeHead(status, { "content-length": "0", server: "kong/3.9.0" });
    res.end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", server: "kong/3.9.0" });
  res.end(JSON.stringify(body));
};

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startKongEmulator(options: KongEmulatorOptions = {}): Promise<KongEmulator> {
  const host = options.host ?? "127.0.0.1";
  const state = createState(options);
  if (options.maxPageSize) state.pageSizeLimit = options.maxPageSize;
  const faults: Fault[] = [];
  const crash = new Crash();
  // The proxy serves the default workspace's entities (Kong Enterprise routes all workspaces; Meridian's tests use one).
  const proxyWorkspace = () => state.workspaces.get("default")!;
  const proxy = createProxy(proxyWorkspace);

  async function control(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const body = async () => JSON.parse((await readBody(req)).toString("utf8") || "null") as unknown;
    try {
      if (path === "/_emulator/faults" && req.method === "POST") {
        faults.push(...parseFaults(await body()));
        return sendJson(res, 201, { faults });
      }
      if (path === "/_emulator/faults" && req.method === "DELETE") {
        faults.length = 0;
        return sendJson(res, 200, { faults });
      }
      if (path === "/_emulator/faults" && req.method === "GET") return sendJson(res, 200, { faults });
      if (path === "/_emulator/crash" && req.method === "POST") {
        crash.arm(((await body()) as { afterCalls?: number } | null)?.afterCalls ?? 0);
        return sendJson(res, 201, crash.view());
      }
      if (path === "/_emulator/crash" && req.method === "DELETE") {
        crash.clear();
        return sendJson(res, 200, crash.view());
      }
      if (path === "/_emulator/state" && req.method === "GET")
        return sendJson(res, 200, {
          mode: state.mode,
          workspaces: Object.fromEntries([...state.workspaces].map(([n, ws]) => [n, exportDeclarative(ws)])),
          requests: state.requests.length,
        });
      if (path === "/_emulator/reset" && req.method === "POST") {
        reset();
        return sendJson(res, 200, { reset: true });
      }
    } catch (error) {
      return sendJson(res, 400, { message: error instanceof Error ? error.message : "Invalid control" });
    }
    sendJson(res, 404, { message: "Unknown emulator control" });
  }

  /** Which entities a path addresses, the rest of the path, and the prefix for `next` links. */
  function locate(segments: string[], req: http.IncomingMessage): { ws: Workspace; rest: string[]; prefix: string } {
    if (segments[0] === "v2" && segments[1] === "control-planes" && segments[2]) {
      const token = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
      const accepted = state.konnectTokens.length ? state.konnectTokens : state.adminTokens;
      if (!token || (accepted.length && !accepted.includes(token)))
        throw new KongError(401, { status: 401, title: "Unauthorized", detail: "Invalid credentials", message: "Unauthorized" });
      const cp = state.controlPlanes.get(segments[2]);
      if (!cp)
        throw new KongError(404, {
          status: 404,
          title: "Not Found",
          detail: `control plane ${segments[2]} not found`,
          message: "Not found",
        });
      if (segments.length === 3) throw new KongError(200, { id: segments[2], name: `control-plane-${segments[2].slice(0, 8)}` });
      if (segments[3] !== "core-entities") throw notFound();
      return { ws: cp, rest: segments.slice(4), prefix: `/v2/control-planes/${segments[2]}/core-entities` };
    }
    if (state.adminTokens.length && !state.adminTokens.includes(String(req.headers["kong-admin-token"] ?? "")))
      throw new KongError(401, { message: "Invalid credentials. Token or User credentials required" });
    if (segments.length && !COLLECTIONS.has(segments[0])) {
      const ws = state.workspaces.get(segments[0]);
      if (!ws) throw new KongError(404, { message: "Not found" });
      return { ws, rest: segments.slice(1), prefix: `/${segments[0]}` };
    }
    return { ws: state.workspaces.get("default")!, rest: segments, prefix: "" };
  }

  const admin = http.createServer(async (req, res) => {
    const rawUrl = req.url ?? "/";
    const url = new URL(rawUrl, "http://admin");
    const method = (req.method ?? "GET").toUpperCase();
    if (url.pathname.startsWith("/_emulator/")) return control(req, res, url.pathname);
    let status = 500;
    try {
      const raw = await readBody(req);
      if (crash.hold(res)) {
        status = 0;
        return;
      }
      const fault = takeFault(faults, method, url.pathname);
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault && fault.status === 0) {
        status = 0;
        req.socket.destroy();
        return;
      }
      if (fault)
        throw new KongError(fault.status, {
          message: fault.message ?? (fault.status === 429 ? "API rate limit exceeded" : "An unexpected error occurred"),
        });
      const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      const { ws, rest, prefix } = locate(segments, req);
      let body: unknown;
      if (raw.length) {
        try {
          body = JSON.parse(raw.toString("utf8"));
        } catch {
          throw new KongError(400, { message: "Cannot parse JSON body" });
        }
      }
      if (rest.length === 0 || (rest[0] === "status" && rest.length === 1)) {
        if (method !== "GET") throw new KongError(405, { message: "Method not allowed" });
        status = 200;
        return sendJson(
          res,
          200,
          rest.length === 0
            ? { version: "3.9.0", tagline: "Welcome to kong", configuration: { database: state.mode === "dbless" ? "off" : "postgres" } }
            : {
                database: { reachable: true },
                server: { connections_active: 1, total_requests: state.requests.length },
                ...(state.mode === "dbless" ? { configuration_hash: state.configHash } : {}),
              },
        );
      }
      if (rest[0] === "config" && rest.length === 1) {
        if (state.mode !== "dbless")
          throw new KongError(400, { message: "this endpoint is only available when Kong is configured to not use a database" });
        if (method === "GET") {
          status = 200;
          return sendJson(res, 200, { config: JSON.stringify(exportDeclarative(ws)) });
        }
        if (method !== "POST") throw new KongError(405, { message: "Method not allowed" });
        const loaded = loadDeclarative(body);
        for (const [type, map] of Object.entries(loaded.entities)) {
          const target = ws.entities[type as keyof typeof ws.entities];
          target.clear();
          for (const [id, e] of map) target.set(id, e);
        }
        state.configHash = configHash(exportDeclarative(ws));
        status = 201;
        return sendJson(res, 201, exportDeclarative(ws));
      }
      const out = routeAdmin(ws, {
        method,
        segments: rest,
        query: url.searchParams,
        body,
        readOnly: state.mode === "dbless",
        prefix,
        maxPageSize: state.pageSizeLimit,
      });
      status = out.status;
      sendJson(res, out.status, out.body);
    } catch (error) {
      const e = error instanceof KongError ? error : new KongError(500, { message: "An unexpected error occurred" });
      status = e.status;
      sendJson(res, e.status, e.body);
    } finally {
      state.requests.push({ method, path: url.pathname, status });
    }
  });

  const proxyServer = http.createServer((req, res) => {
    proxy.handle(req, res).catch(() => sendJson(res, 500, { message: "An unexpected error occurred" }));
  });

  const port = await listen(admin, options.port ?? 0, host);
  const proxyPort = await listen(proxyServer, options.proxyPort ?? 0, host);

  function reset(): void {
    resetState(state);
    faults.length = 0;
    crash.clear();
    proxy.reset();
  }

  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  return {
    adminUrl: `http://${host}:${port}`,
    proxyUrl: `http://${host}:${proxyPort}`,
    faults,
    crash,
    state,
    reset,
    close: async () => {
      crash.clear();
      await Promise.all([close(admin), close(proxyServer)]);
    },
  };
}
