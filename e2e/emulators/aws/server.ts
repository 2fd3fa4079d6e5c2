import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Crash } from "../crash";
import { CLOUDWATCH_TARGET_PREFIX, handleCloudWatch, sendCloudWatchError } from "./cloudwatch";
import { createDataPlane } from "./data-plane";
import { AwsError, errorFor, sendError, sendJson } from "./errors";
import { parseFaults, takeFault, type Fault } from "./faults";
import { queryOf, type ApiRequest, type ApiResponse } from "./request";
import { routeRestApis } from "./rest-apis";
import { verifySignature, type Credential } from "./sigv4";
import { createState, resetState, stateView, type EmulatorState } from "./store";
import { routeUsage } from "./usage";

/**
 * An emulator of Amazon API Gateway (REST APIs, v1) for tests and local runs: the management
 * API on one port, SigV4-checked, and the deployed stages on a second, data-plane port. State
 * lives in memory only.
 */

export const DEFAULT_CREDENTIALS: Credential = { accessKeyId: "AKIAMERIDIANEMULATOR", secretAccessKey: "meridian-emulator-secret" };

export interface AwsEmulatorOptions {
  port?: number;
  dataPort?: number;
  host?: string;
  region?: string;
  credentials?: Credential[];
}

export interface AwsEmulator {
  /** The management endpoint: the SDK's `endpoint`. */
  url: string;
  /** The data plane: stages serve under /restapis/{restApiId}/{stage}/_user_request_/. */
  dataUrl: string;
  /** Push faults here; each is consumed by the calls it matches. */
  faults: Fault[];
  /** A simulated crash of the caller: see /_emulator/crash. */
  crash: Crash;
  state: EmulatorState;
  /** The invoke URL template an environment uses with this emulator. */
  invokeUrlTemplate: string;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new AwsError(413, "BadRequestException", "Request body too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function route(req: ApiRequest): ApiResponse {
  switch (req.segments[0]) {
    case "restapis":
      return routeRestApis(req);
    case "usageplans":
    case "apikeys":
    case "tags":
      return routeUsage(req);
    default:
      throw new AwsError(404, "UnknownOperationException", `Unknown operation ${req.method} /${req.segments.join("/")}`);
  }
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startAwsEmulator(options: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const host = options.host ?? "127.0.0.1";
  const credentials = options.credentials?.length ? options.credentials : [DEFAULT_CREDENTIALS];
  const state = createState(options.region ?? "eu-west-1");
  const faults: Fault[] = [];
  const crash = new Crash();
  const dataPlane = createDataPlane(state);

  /** Test controls: not signed, never on AWS. */
  async function control(req: http.IncomingMessage, res: http.ServerResponse, path: string, requestId: string): Promise<void> {
    if (path === "/_emulator/faults" && req.method === "POST") {
      try {
        const added = parseFaults(JSON.parse((await readBody(req)).toString("utf8") || "null"));
        faults.push(...added);
        return sendJson(res, 201, { faults }, requestId);
      } catch (error) {
        return sendJson(res, 400, { message: error instanceof Error ? error.message : "Invalid fault" }, requestId);
      }
    }
    if (path === "/_emulator/faults" && req.method === "DELETE") {
      faults.length = 0;
      return sendJson(res, 200, { faults }, requestId);
    }
    if (path === "/_emulator/faults" && req.method === "GET") return sendJson(res, 200, { faults }, requestId);
    if (path === "/_emulator/crash" && req.method === "POST") {
      try {
        crash.arm((JSON.parse((await readBody(req)).toString("utf8") || "{}") as { afterCalls?: number }).afterCalls ?? 0);
        return sendJson(res, 201, crash.view(), requestId);
      } catch (error) {
        return sendJson(res, 400, { message: error instanceof Error ? error.message : "Invalid crash" }, requestId);
      }
    }
    if (path === "/_emulator/crash" && req.method === "GET") return sendJson(res, 200, crash.view(), requestId);
    if (path === "/_emulator/crash" && req.method === "DELETE") {
      crash.clear();
      return sendJson(res, 200, crash.view(), requestId);
    }
    if (path === "/_emulator/state" && req.method === "GET") return sendJson(res, 200, stateView(state), requestId);
    if (path === "/_emulator/reset" && req.method === "POST") {
      reset();
      return sendJson(res, 200, { reset: true }, requestId);
    }
    sendJson(res, 404, { message: "Unknown emulator control" }, requestId);
  }

  /** CloudWatch (service `monitoring`) on the same endpoint, as an endpoint override serves every service. */
  async function cloudWatch(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> {
    let status = 500;
    try {
      const body = await readBody(req);
      verifySignature(req, body, credentials, "monitoring");
      const fault = takeFault(faults, "POST", "/monitoring");
      if (fault) throw errorFor(fault.status, fault.errorType, fault.message);
      const out = handleCloudWatch(state, req, body);
      status = out.status;
      res.writeHead(out.status, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": requestId });
      res.end(JSON.stringify(out.body));
    } catch (error) {
      const e =
        error instanceof AwsError ? error : errorFor(500, "InternalFailure", error instanceof Error ? error.message : "Internal failure");
      status = e.status;
      sendCloudWatchError(res, e, requestId);
    } finally {
      state.requests.push({ method: "POST", path: `/monitoring/${String(req.headers["x-amz-target"])}`, status });
    }
  }

  const management = http.createServer(async (req, res) => {
    const requestId = randomUUID();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const method = (req.method ?? "GET").toUpperCase();
    if (rawPath.startsWith("/_emulator/")) return control(req, res, rawPath, requestId);
    if (method === "POST" && rawPath === "/" && String(req.headers["x-amz-target"] ?? "").startsWith(CLOUDWATCH_TARGET_PREFIX))
      return cloudWatch(req, res, requestId);
    let status = 500;
    try {
      const body = await readBody(req);
      verifySignature(req, body, credentials);
      if (crash.hold(res)) {
        status = 0;
        return;
      }
      const fault = takeFault(faults, method, rawPath);
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault && fault.status === 0) {
        status = 0;
        req.socket.destroy();
        return;
      }
      if (fault) throw errorFor(fault.status, fault.errorType, fault.message);
      const segments = rawPath.split("/").filter(Boolean).map(decodeURIComponent);
      const out = route({ state, method, segments, query: queryOf(q < 0 ? "" : rawUrl.slice(q + 1)), body });
      status = out.status;
      if (out.raw) {
        res.writeHead(out.status, { "content-type": out.raw.contentType, "x-amzn-requestid": requestId, ...out.raw.headers });
        res.end(out.raw.data);
      } else if (out.body === undefined) {
        res.writeHead(out.status, { "x-amzn-requestid": requestId, "content-length": "0" });
        res.end();
      } else sendJson(res, out.status, out.body, requestId);
    } catch (error) {
      const e =
        error instanceof AwsError ? error : errorFor(500, "InternalFailure", error instanceof Error ? error.message : "Internal failure");
      status = e.status;
      sendError(res, e, requestId);
    } finally {
      state.requests.push({ method, path: rawPath, status });
    }
  });

  const data = http.createServer((req, res) => {
    dataPlane.handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { message: "Internal server error" }, randomUUID());
    });
  });

  const port = await listen(management, options.port ?? 0, host);
  const dataPort = await listen(data, options.dataPort ?? 0, host);
  const dataUrl = `http://${host}:${dataPort}`;

  function reset(): void {
    resetState(state);
    faults.length = 0;
    crash.clear();
    dataPlane.reset();
  }

  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  return {
    url: `http://${host}:${port}`,
    dataUrl,
    faults,
    crash,
    state,
    invokeUrlTemplate: `${dataUrl}/restapis/{restApiId}/{stage}/_user_request_`,
    reset,
    close: async () => {
      crash.clear();
      await Promise.all([close(management), close(data)]);
    },
  };
}
