import http from "node:http";
import type { AddressInfo } from "node:net";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import type { ServiceContext } from "@/lib/services/context";
import { unique } from "../fixtures";

export const GREETING = "hello from the backend";

/** A tiny JSON backend on a free loopback port, standing in for a publisher's service. */
export async function startBackend(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const body = JSON.stringify({ greeting: GREETING, path: req.url, keyType: req.headers["x-meridian-key-type"] ?? null });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface SeededApi {
  id: string;
  name: string;
  context: string;
  version: string;
}

const DEFINITION = {
  openapi: "3.0.3",
  info: { title: "Greetings", version: "1.0.0", description: "Says hello." },
  paths: {
    "/hello": {
      get: {
        summary: "Say hello",
        operationId: "sayHello",
        responses: {
          "200": {
            description: "A greeting",
            content: { "application/json": { schema: { type: "object", properties: { greeting: { type: "string" } } } } },
          },
        },
      },
    },
    "/hello/{name}": {
      get: {
        summary: "Greet someone",
        parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "A greeting" } },
      },
    },
  },
};

/**
 * A published API deployed to the default built-in environment, as a publisher would make it:
 * CORS open to any origin so that the portal's Try it can call it from the browser.
 */
export async function seedDeployedApi(
  publisher: ServiceContext,
  backendUrl: string,
  options: { label: string; scheme: "oauth2" | "apiKey" },
): Promise<SeededApi> {
  const name = unique(options.label);
  const context = `/${unique(options.label.toLowerCase())}`;
  const api = await createApi(
    {
      name,
      version: "v1",
      context,
      description: `The ${options.label} API: it says hello (${options.scheme === "oauth2" ? "OAuth2" : "API key"}).`,
      tags: ["greetings", "e2e"],
      definition: JSON.stringify(DEFINITION),
      endpoints: { production: backendUrl, sandbox: null, overrides: {} },
      security: { scheme: options.scheme, apiKeyHeader: "apikey" },
      cors: {
        enabled: true,
        origins: ["*"],
        methods: ["GET", "POST", "OPTIONS"],
        headers: ["authorization", "content-type", "apikey"],
        credentials: false,
      },
      allowedTiers: ["Gold"],
    },
    publisher,
  );
  await changeLifecycle(api.id, { action: "publish" }, publisher);
  const revision = await createRevision(api.id, { description: "first release" }, publisher);
  await deployRevision(api.id, { revisionId: revision.id, environments: ["default"] }, publisher);
  return { id: api.id, name, context, version: "v1" };
}
