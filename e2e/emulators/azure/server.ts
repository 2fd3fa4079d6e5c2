import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { Crash } from "../crash";
import { handleArm, SUPPORTED_API_VERSIONS, type ArmContext } from "./arm";
import { createDataPlane } from "./data-plane";
import { handleEntra, type EmulatorClient } from "./entra";
import { faultBody, FaultList, type Fault } from "./faults";
import { clearStore, emptyStore, type EmulatorStore } from "./store";
import { makeCertificate } from "./tls";

/**
 * An emulator of Azure API Management for tests and local runs: the Resource Manager API over
 * HTTPS (the SDK refuses bearer tokens over plain http), Entra ID's token endpoint beside it, and
 * a plain-http gateway that serves what was deployed.
 */

export const EMULATOR_DEFAULTS = {
  tenantId: "00000000-0000-0000-0000-0000000000aa",
  clientId: "00000000-0000-0000-0000-0000000000cc",
  clientSecret: "meridian-emulator-secret",
  subscriptionId: "00000000-0000-0000-0000-000000000001",
  resourceGroup: "meridian-rg",
  serviceName: "meridian-apim",
} as const;

export interface AzureEmulatorOptions {
  port?: number;
  dataPort?: number;
  host?: string;
  /** Items per page of every listing; small values make tests walk several nextLinks. */
  pageSize?: number;
  /** How many 202 answers an API import gives before its result (0: a synchronous 201). */
  lroPolls?: number;
  clients?: EmulatorClient[];
}

export interface AzureEmulator {
  /** https://127.0.0.1:<port>: the Resource Manager endpoint and the authority host. */
  url: string;
  /** http://127.0.0.1:<dataPort>: the gateway. */
  dataUrl: string;
  caCertificate: string;
  /** The connector config that signs in with the first accepted client. */
  config: Record<string, string>;
  faults: FaultList;
  /** A simulated crash of the caller, counted in Resource Manager calls: see /_emulator/crash. */
  crash: Crash;
  /** The live content of the service, and the requests it received. */
  state: EmulatorStore;
  reset(): void;
  close(): Promise<void>;
}

const SERVICE_PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ApiManagement\/service\/([^/]+)(\/.*)?$/i;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    return void res.end();
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    "x-ms-request-id": crypto.randomUUID(),
    ...headers,
  });
  res.end(text);
}

const armError = (code: string, message: string) => ({ error: { code, message } });

export async function startAzureEmulator(options: AzureEmulatorOptions = {}): Promise<AzureEmulator> {
  const host = options.host ?? "127.0.0.1";
  const clients = options.clients ?? [
    { tenantId: EMULATOR_DEFAULTS.tenantId, clientId: EMULATOR_DEFAULTS.clientId, clientSecret: EMULATOR_DEFAULTS.clientSecret },
  ];
  const store = emptyStore();
  const faults = new FaultList();
  const crash = new Crash();
  const dataPlane = createDataPlane(store);
  const { cert, key } = makeCertificate();

  const dataServer = http.createServer((req, res) => dataPlane.handle(req, res));
  await new Promise<void>((resolve) => dataServer.listen(options.dataPort ?? 0, host, resolve));
  const dataUrl = `http://${host}:${(dataServer.address() as AddressInfo).port}`;

  let baseUrl = "";
  const ctx = (): ArmContext => ({
    store,
    baseUrl,
    gatewayUrl: dataUrl,
    subscriptionId: EMULATOR_DEFAULTS.subscriptionId,
    resourceGroup: EMULATOR_DEFAULTS.resourceGroup,
    serviceName: EMULATOR_DEFAULTS.serviceName,
    pageSize: options.pageSize ?? 100,
    lroPolls: options.lroPolls ?? 1,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", baseUrl);
    const text = await readBody(req);
    const reply = (status: number, body?: unknown, headers?: Record<string, string>) => {
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Form bodies stay text.
      }
      if (!url.pathname.startsWith("/_emulator"))
        store.requests.push({
          method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          body: /\/token$/.test(url.pathname) ? "(form)" : parsed,
          status,
        });
      send(res, status, body, headers);
    };

    if (url.pathname.startsWith("/_emulator/")) return control(method, url.pathname, text, reply);

    const fault = faults.take(method, url.pathname + url.search);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.status) return reply(fault.status, faultBody(fault), fault.status === 429 ? { "retry-after": "1" } : {});

    const blob = /^\/_blob\/apiexport\/[^/]+$/.exec(url.pathname);
    if (blob && method === "GET") {
      const entry = store.exports.get(url.searchParams.get("sig") ?? "");
      if (!entry || entry.expires < Date.now())
        return reply(403, { code: "AuthenticationFailed", message: "Server failed to authenticate the request." });
      return reply(200, entry.document);
    }

    const entra = handleEntra(store, clients, baseUrl, method, url, method === "POST" ? new URLSearchParams(text) : undefined);
    if (entra) return reply(entra.status, entra.body);

    // Resource Manager: the bearer token first, then api-version, then the resource.
    const auth = req.headers.authorization;
    if (!auth) return reply(401, armError("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."));
    const expires = /^Bearer (.+)$/.exec(auth) ? store.tokens.get(auth.slice(7)) : undefined;
    if (!expires || expires < Date.now())
      return reply(401, armError("AuthenticationFailed", "Authentication failed. The access token is invalid or has expired."));
    if (crash.hold(res)) return;
    const apiVersion = url.searchParams.get("api-version");
    if (!apiVersion)
      return reply(
        400,
        armError("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."),
      );
    if (!SUPPORTED_API_VERSIONS.has(apiVersion)) {
      return reply(
        400,
        armError(
          "InvalidApiVersionParameter",
          `The api-version '${apiVersion}' is invalid. The supported versions are '${[...SUPPORTED_API_VERSIONS].join(",")}'.`,
        ),
      );
    }
    const m = SERVICE_PATH.exec(url.pathname);
    if (!m) return reply(404, armError("NotFound", `The resource path '${url.pathname}' is not an API Management path.`));
    const c = ctx();
    if (m[1].toLowerCase() !== c.subscriptionId)
      return reply(404, armError("SubscriptionNotFound", `The subscription '${m[1]}' could not be found.`));
    if (m[2].toLowerCase() !== c.resourceGroup.toLowerCase())
      return reply(404, armError("ResourceGroupNotFound", `Resource group '${m[2]}' could not be found.`));
    if (m[3].toLowerCase() !== c.serviceName.toLowerCase()) {
      return reply(
        404,
        armError(
          "ResourceNotFound",
          `The Resource 'Microsoft.ApiManagement/service/${m[3]}' under resource group '${m[2]}' was not found.`,
        ),
      );
    }
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return reply(400, armError("InvalidRequestContent", "The request content was invalid and could not be deserialized."));
      }
    }
    const answer = handleArm(c, { method, url, rest: m[4] ?? "", headers: req.headers, body });
    reply(answer.status, answer.body, answer.headers);
  }

  function control(method: string, path: string, text: string, reply: (status: number, body?: unknown) => void): void {
    if (path === "/_emulator/faults" && method === "POST") {
      try {
        faults.add(JSON.parse(text) as Fault);
        return reply(201, { faults: faults.list() });
      } catch (error) {
        return reply(400, { error: (error as Error).message });
      }
    }
    if (path === "/_emulator/faults" && method === "DELETE") {
      faults.clear();
      return reply(204);
    }
    if (path === "/_emulator/crash" && method === "POST") {
      try {
        crash.arm((JSON.parse(text || "{}") as { afterCalls?: number }).afterCalls ?? 0);
        return reply(201, crash.view());
      } catch (error) {
        return reply(400, { error: (error as Error).message });
      }
    }
    if (path === "/_emulator/crash" && method === "GET") return reply(200, crash.view());
    if (path === "/_emulator/crash" && method === "DELETE") {
      crash.clear();
      return reply(200, crash.view());
    }
    if (path === "/_emulator/state" && method === "GET") return reply(200, snapshot(store, faults));
    if (path === "/_emulator/reset" && method === "POST") {
      reset();
      return reply(204);
    }
    reply(404, { error: "Unknown emulator control path." });
  }

  function reset(): void {
    clearStore(store);
    faults.clear();
    crash.clear();
    dataPlane.reset();
  }

  const server = https.createServer({ cert, key }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, armError("InternalServerError", (error as Error).message));
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
      tenantId: clients[0].tenantId,
      clientId: clients[0].clientId,
      clientSecret: clients[0].clientSecret,
      subscriptionId: EMULATOR_DEFAULTS.subscriptionId,
      resourceGroup: EMULATOR_DEFAULTS.resourceGroup,
      serviceName: EMULATOR_DEFAULTS.serviceName,
      endpoint: baseUrl,
      authorityHost: baseUrl,
      caCertificate: cert,
    },
    faults,
    crash,
    state: store,
    reset,
    close: async () => {
      crash.clear();
      server.closeAllConnections();
      dataServer.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => dataServer.close(r))]);
    },
  };
}

function snapshot(store: EmulatorStore, faults: FaultList) {
  return {
    apis: [...store.apis.values()].map(({ operations, ...api }) => ({
      ...api,
      operations: operations.map((o) => ({ id: o.id, method: o.method, urlTemplate: o.urlTemplate })),
    })),
    versionSets: [...store.versionSets.values()],
    products: [...store.products.values()],
    subscriptions: [...store.subscriptions.values()].map(({ primaryKey: _p, secondaryKey: _s, ...s }) => s),
    apiPolicies: Object.fromEntries(store.apiPolicies),
    operationPolicies: Object.fromEntries(store.operationPolicies),
    faults: faults.list(),
    requests: store.requests,
  };
}
