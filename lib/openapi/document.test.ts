import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_COMPACT_EVENTS_PER_BATCH, MAX_EVENTS_PER_BATCH } from "@/lib/domain/gateway/snapshot";
import { buildOpenApiDocument } from "./document";

const ROOT = path.resolve(__dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route handler under app/api/v1, as an OpenAPI path with the methods it exports. */
function routeHandlers(dir = path.join(ROOT, "app/api/v1")): Array<{ path: string; methods: string[] }> {
  const out: Array<{ path: string; methods: string[] }> = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeHandlers(full));
    else if (entry.name === "route.ts") {
      const rel = path.relative(path.join(ROOT, "app"), dir).split(path.sep);
      if (rel.some((s) => s.startsWith("[..."))) continue;
      const apiPath = "/" + rel.map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/");
      const source = fs.readFileSync(full, "utf8");
      const methods = METHODS.filter((m) => new RegExp(`export (const|async function|function) ${m}\\b|as ${m}\\b`).test(source));
      out.push({ path: apiPath, methods });
    }
  }
  return out;
}

describe("management API description", () => {
  const doc = buildOpenApiDocument("test") as { openapi: string; paths: Record<string, Record<string, unknown>> };

  it("is OpenAPI 3.1", () => {
    expect(doc.openapi).toBe("3.1.0");
  });

  it("describes every /api/v1 route handler and method", () => {
    const missing: string[] = [];
    for (const route of routeHandlers()) {
      if (route.path === "/api/v1/openapi.json") continue;
      // A dynamic segment may be documented as its literal values (…/{id}/approve, …/{id}/reject).
      const pattern = new RegExp(`^${route.path.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "(\\{[^/]+\\}|[^/{}]+)")}$`);
      const documented = Object.keys(doc.paths).filter((p) => p === route.path || pattern.test(p));
      for (const method of route.methods) {
        if (!documented.some((p) => doc.paths[p]?.[method.toLowerCase()])) missing.push(`${method} ${route.path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("gives the event batch limits the control plane applies to each form", () => {
    type Form = { required: string[]; properties: Record<string, { maxItems?: number }> };
    const post = doc.paths["/api/gateway/v1/events"].post as {
      requestBody: { content: { "application/json": { schema: { anyOf: Form[] } } } };
    };
    const [full, compact] = post.requestBody.content["application/json"].schema.anyOf;
    expect(full.properties.events.maxItems).toBe(MAX_EVENTS_PER_BATCH);
    expect(compact.required).toContain("format");
    expect(compact.properties.events.maxItems).toBe(MAX_COMPACT_EVENTS_PER_BATCH);
    expect(compact.properties.groups.maxItems).toBe(MAX_COMPACT_EVENTS_PER_BATCH);
  });

  it("refers only to schemas it defines", () => {
    const text = JSON.stringify(doc);
    const defined = new Set(Object.keys((doc as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas));
    const refs = [...text.matchAll(/#\/components\/schemas\/([A-Za-z0-9_.-]+)/g)].map((m) => m[1]);
    expect(refs.filter((r) => !defined.has(r))).toEqual([]);
  });
});
