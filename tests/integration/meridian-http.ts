import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { buildOpenApiDocument } from "@/lib/openapi/document";

/**
 * The management API's route handlers served over HTTP in the test process (Next.js's own
 * build takes minutes): routes are found from the OpenAPI description's paths, as Next.js
 * would find them from the folders. Tests that run a CLI or another client against a running
 * Meridian use it; the test mocks `server-only` and the session as route tests do.
 */
export interface MeridianHttp {
  url: string;
  close(): Promise<void>;
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const ROOT = path.resolve(__dirname, "../..");

function routes() {
  const doc = buildOpenApiDocument("test") as { paths: Record<string, unknown> };
  return Object.keys(doc.paths)
    .map((p) => {
      const names: string[] = [];
      const pattern = new RegExp(
        `^${p.replace(/[.]/g, "\\.").replace(/\{([^}]+)\}/g, (_m, n: string) => {
          names.push(n);
          return "([^/]+)";
        })}$`,
      );
      const dirs = p
        .split("/")
        .filter(Boolean)
        .map((s) => s.replace(/^\{(.+)\}$/, "[$1]"));
      return { pattern, names, file: path.join(ROOT, "app", ...dirs, "route.ts"), literal: names.length === 0 };
    })
    .sort((a, b) => Number(b.literal) - Number(a.literal));
}

export async function startMeridianHttp(): Promise<MeridianHttp> {
  const table = routes();
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const route = table.find((r) => r.pattern.test(url.pathname));
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      const match = route.pattern.exec(url.pathname)!;
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1])]));
      const mod = (await import(route.file)) as Record<string, Handler>;
      const handler = mod[(req.method ?? "GET").toUpperCase()];
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
      const response = await handler(new Request(url, { method: req.method, headers, body }), { params: Promise.resolve(params) });
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
