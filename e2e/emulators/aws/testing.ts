/** Helpers for tests that drive the emulator: an echoing backend, a started emulator with its connector config, a data-plane call. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_CREDENTIALS, startAwsEmulator, type AwsEmulator } from "./server";

/** A backend that answers every call with what it received, tagged with its current `version`. */
export interface EchoBackend {
  url: string;
  version: string;
  calls: Array<{ method: string; url: string; apiKey?: string }>;
  close(): Promise<void>;
}

export async function startEchoBackend(): Promise<EchoBackend> {
  const backend: Partial<EchoBackend> = { version: "one", calls: [] };
  const server = http.createServer((req, res) => {
    backend.calls!.push({ method: req.method ?? "", url: req.url ?? "", apiKey: req.headers["x-api-key"] as string | undefined });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ method: req.method, url: req.url, version: backend.version }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  backend.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  backend.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return backend as EchoBackend;
}

export async function startEmulator(): Promise<{ emulator: AwsEmulator; config: Record<string, unknown> }> {
  const emulator = await startAwsEmulator();
  const config = {
    region: "eu-west-1",
    accessKeyId: DEFAULT_CREDENTIALS.accessKeyId,
    secretAccessKey: DEFAULT_CREDENTIALS.secretAccessKey,
    endpoint: emulator.url,
    invokeUrlTemplate: emulator.invokeUrlTemplate,
  };
  return { emulator, config };
}

/** Calls a deployed stage through the emulator's data plane. */
export async function invoke(
  invokeUrl: string,
  path: string,
  init: { method?: string; apiKey?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${invokeUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { ...(init.apiKey ? { "x-api-key": init.apiKey } : {}), ...init.headers },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, headers: res.headers, body: body as Record<string, unknown> };
}
