import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { FaultList, type Fault } from "../azure/faults";
import { makeCertificate } from "../azure/tls";
import { handleApi, status } from "./api-server";
import { reconcile, type ControllerOptions } from "./controller";
import { createDataPlane } from "./data-plane";
import { clearStore, emptyStore, seed, type K8sStore } from "./store";

/**
 * An emulator of a Kubernetes cluster running Envoy Gateway, for tests and local runs: the API
 * server over HTTPS with a bearer token (discovery, CRUD, server-side apply, paging, 409 and
 * 422), Envoy Gateway's controller writing route and policy status, and a plain-http data plane
 * that serves accepted routes as Envoy would.
 */

export const K8S_DEFAULTS = {
  token: "meridian-emulator-token",
  readOnlyToken: "meridian-emulator-reader",
  namespace: "apis",
  gatewayName: "eg",
} as const;

export interface K8sEmulatorOptions {
  port?: number;
  dataPort?: number;
  host?: string;
  /** Items per page of every listing at most; small values make tests walk several continue tokens. */
  pageSize?: number;
  /** How long the controller takes to write status after a change. */
  controllerDelayMs?: number;
  /** In-cluster Services by name → the URL the data plane forwards to. */
  services?: Record<string, string>;
}

export interface K8sEmulator {
  url: string;
  dataUrl: string;
  caCertificate: string;
  config: Record<string, string>;
  faults: FaultList;
  state: K8sStore;
  controller: ControllerOptions & { enabled: boolean };
  services: Record<string, string>;
  reset(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, code: number, body?: unknown): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(code, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

export async function startK8sEmulator(options: K8sEmulatorOptions = {}): Promise<K8sEmulator> {
  const host = options.host ?? "127.0.0.1";
  const store = emptyStore();
  seed(store, K8S_DEFAULTS.namespace, K8S_DEFAULTS.gatewayName);
  const faults = new FaultList();
  const controller: ControllerOptions & { enabled: boolean } = { enabled: true };
  const services: Record<string, string> = { ...options.services };
  const dataPlane = createDataPlane(store, () => services);
  const { cert, key } = makeCertificate();
  let timer: NodeJS.Timeout | undefined;
  const onWrite = () => {
    if (timer || !controller.enabled) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (controller.enabled) reconcile(store, controller);
    }, options.controllerDelayMs ?? 50);
  };

  const dataServer = http.createServer((req, res) => void dataPlane.handle(req, res));
  await new Promise<void>((resolve) => dataServer.listen(options.dataPort ?? 0, host, resolve));
  const dataUrl = `http://${host}:${(dataServer.address() as AddressInfo).port}`;
  let baseUrl = "";

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", baseUrl);
    const text = await readBody(req);
    const contentType = String(req.headers["content-type"] ?? "");
    const reply = (code: number, body?: unknown) => {
      if (!url.pathname.startsWith("/_emulator"))
        store.requests.push({
          method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          status: code,
          ...(contentType ? { contentType } : {}),
        });
      send(res, code, body);
    };
    if (url.pathname.startsWith("/_emulator/")) return control(method, url.pathname, text, reply);

    const auth = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
    if (auth !== K8S_DEFAULTS.token && auth !== K8S_DEFAULTS.readOnlyToken) {
      const s = status(401, "Unauthorized", "Unauthorized");
      return reply(s.status, s.body);
    }
    const fault = faults.take(method, url.pathname + url.search);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.status) {
      const reason =
        { 409: "Conflict", 429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout" }[fault.status] ??
        "Unknown";
      const s = status(fault.status, fault.code ?? reason, fault.message ?? `Injected failure: HTTP ${fault.status}.`);
      return reply(s.status, s.body);
    }
    if (auth === K8S_DEFAULTS.readOnlyToken && method !== "GET") {
      const s = status(
        403,
        "Forbidden",
        `User "system:serviceaccount:${K8S_DEFAULTS.namespace}:reader" cannot ${method.toLowerCase()} resource in the namespace`,
      );
      return reply(s.status, s.body);
    }
    const answer = handleApi(store, { method, url, contentType, text }, options.pageSize ?? 500, onWrite);
    reply(answer.status, answer.body);
  }

  function control(method: string, path: string, text: string, reply: (code: number, body?: unknown) => void): void {
    try {
      if (path === "/_emulator/faults" && method === "POST") {
        faults.add(JSON.parse(text) as Fault);
        return reply(201, { faults: faults.list() });
      }
      if (path === "/_emulator/faults" && method === "DELETE") {
        faults.clear();
        return reply(204);
      }
      if (path === "/_emulator/controller" && method === "POST") {
        const body = JSON.parse(text || "{}") as { enabled?: boolean; refuseRoutes?: string | null };
        if (body.enabled !== undefined) controller.enabled = body.enabled;
        if (body.refuseRoutes !== undefined) controller.refuseRoutes = body.refuseRoutes ? new RegExp(body.refuseRoutes) : undefined;
        if (controller.enabled) reconcile(store, controller);
        return reply(200, { enabled: controller.enabled, refuseRoutes: controller.refuseRoutes?.source ?? null });
      }
      if (path === "/_emulator/services" && method === "POST") {
        Object.assign(services, JSON.parse(text) as Record<string, string>);
        return reply(200, services);
      }
      if (path === "/_emulator/state" && method === "GET") return reply(200, snapshot(store));
      if (path === "/_emulator/reset" && method === "POST") {
        reset();
        return reply(204);
      }
      reply(404, { error: "Unknown emulator control path." });
    } catch (error) {
      reply(400, { error: (error as Error).message });
    }
  }

  function reset(): void {
    clearStore(store);
    seed(store, K8S_DEFAULTS.namespace, K8S_DEFAULTS.gatewayName);
    faults.clear();
    controller.enabled = true;
    controller.refuseRoutes = undefined;
    dataPlane.reset();
  }

  const server = https.createServer({ cert, key }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, status(500, "InternalError", (error as Error).message).body);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  baseUrl = `https://${host}:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    dataUrl,
    caCertificate: cert,
    config: {
      apiServerUrl: baseUrl,
      bearerToken: K8S_DEFAULTS.token,
      caCertificate: cert,
      namespace: K8S_DEFAULTS.namespace,
      gatewayName: K8S_DEFAULTS.gatewayName,
    },
    faults,
    state: store,
    controller,
    services,
    reset,
    close: async () => {
      if (timer) clearTimeout(timer);
      server.closeAllConnections();
      dataServer.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => dataServer.close(r))]);
    },
  };
}

/** The cluster's objects (Secret contents masked) and the requests received. */
function snapshot(store: K8sStore) {
  return {
    objects: [...store.objects.values()].map((o) =>
      o.kind === "Secret"
        ? { ...o, data: Object.fromEntries(Object.keys((o.data as Record<string, string>) ?? {}).map((k) => [k, "(masked)"])) }
        : o,
    ),
    requests: store.requests,
  };
}
