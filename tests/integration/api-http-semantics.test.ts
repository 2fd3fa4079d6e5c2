import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { createToken } from "@/lib/services/tokens/create-token";
import { userContext } from "../helpers";

// Route modules run inside Next's server build; here they are plain modules.
vi.mock("server-only", () => ({}));
// The process logger, writing into `logged` instead of stdout, with the real options.
const logged = vi.hoisted(() => [] as string[]);
vi.mock("@/lib/log", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/log")>();
  const pino = (await import("pino")).default;
  return { ...actual, logger: pino({ ...actual.loggerOptions, level: "info" }, { write: (line: string) => void logged.push(line) }) };
});

const ROOT = path.resolve(__dirname, "../..");
const API_ROOT = path.join(ROOT, "app/api/v1");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const BASE = "http://localhost:3000";

type RouteModule = Partial<
  Record<(typeof METHODS)[number], (req: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response>
>;

/** Every route file under app/api/v1 with a URL that reaches it (dynamic segments filled in). */
function routeFiles(dir = API_ROOT): Array<{ file: string; url: string }> {
  const out: Array<{ file: string; url: string }> = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeFiles(full));
    else if (entry.name === "route.ts") {
      const segments = path.relative(path.join(ROOT, "app"), dir).split(path.sep);
      if (segments.some((s) => s.startsWith("[..."))) continue; // the catch-all answers 404 to every method
      out.push({ file: full, url: `${BASE}/${segments.map((s) => s.replace(/^\[(.+)\]$/, "x_$1")).join("/")}` });
    }
  }
  return out;
}

let bearer: string;
let publisherBearer: string;

beforeAll(async () => {
  const subscriber = await userContext(["subscriber"], "http");
  bearer = (await createToken({ name: "http semantics" }, subscriber)).token;
  publisherBearer = (await createToken({ name: "http semantics" }, await userContext(["publisher"], "http-pub"))).token;
});

beforeEach(() => {
  logged.length = 0;
});

afterAll(() => closeDb());

async function call(handler: RouteModule[keyof RouteModule], req: Request, params: Record<string, string> = {}): Promise<Response> {
  return handler!(req, { params: Promise.resolve(params) });
}

describe("methods a route does not implement", () => {
  const routes = routeFiles();

  it("finds the route files", () => {
    expect(routes.length).toBeGreaterThan(40);
  });

  it.each(routes.map((r) => [path.relative(ROOT, r.file), r] as const))(
    "%s: 405 problem+json with Allow, and an OPTIONS that lists only what it serves",
    async (_name, route) => {
      const { isOtherMethodHandler } = await import("@/lib/api/methods");
      const mod = (await import(route.file)) as RouteModule;
      const implemented = METHODS.filter((m) => typeof mod[m] === "function" && !isOtherMethodHandler(mod[m]));
      expect(implemented.length).toBeGreaterThan(0);
      const allowed = new Set<string>([...implemented, "OPTIONS"]);
      if (allowed.has("GET")) allowed.add("HEAD");
      const allow = [...allowed].sort().join(", ");

      for (const method of METHODS) {
        if (allowed.has(method) && method !== "OPTIONS") continue;
        // Next.js would answer a method the module leaves out with a bare 405 and no Allow header.
        expect(mod[method], `${method} must be exported (from otherMethods) so that it answers with Allow`).toBeTypeOf("function");
        const response = await call(mod[method], new Request(route.url, { method, headers: { authorization: `Bearer ${bearer}` } }));
        if (method === "OPTIONS") {
          expect(response.status).toBe(204);
          expect(response.headers.get("allow")).toBe(allow);
          continue;
        }
        expect(response.status, `${method} ${route.url}`).toBe(405);
        expect(response.headers.get("allow")).toBe(allow);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
        expect(await response.json()).toMatchObject({ status: 405, code: "method_not_allowed", allow: allow.split(", ") });
      }
    },
  );
});

describe("request bodies", () => {
  async function postApplication(body: BodyInit, headers: Record<string, string>): Promise<Response> {
    const { POST } = await import("@/app/api/v1/applications/route");
    return POST(
      new Request(`${BASE}/api/v1/applications`, { method: "POST", body, headers: { authorization: `Bearer ${bearer}`, ...headers } }),
      { params: Promise.resolve({}) },
    );
  }

  it("accepts JSON declared as application/json or a +json type", async () => {
    expect(
      (await postApplication(JSON.stringify({ name: "json app" }), { "content-type": "application/json; charset=utf-8" })).status,
    ).toBe(201);
    expect((await postApplication(JSON.stringify({ name: "merge app" }), { "content-type": "application/merge-patch+json" })).status).toBe(
      201,
    );
  });

  it.each([
    ["text/plain", "text/plain;charset=UTF-8"],
    ["a form", "application/x-www-form-urlencoded"],
    ["no content type", undefined],
    ["JSON in another charset", "application/json; charset=iso-8859-1"],
  ])("refuses a JSON body sent as %s with 415", async (_label, contentType) => {
    const response = await postApplication(JSON.stringify({ name: "typed app" }), contentType ? { "content-type": contentType } : {});
    expect(response.status).toBe(415);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect((await response.json()).code).toBe("unsupported_media_type");
  });

  it("refuses a document upload declared as text/plain with 415, and takes YAML declared as YAML", async () => {
    const { PUT } = await import("@/app/api/v1/apis/[id]/definition/route");
    const send = (contentType: string) =>
      PUT(
        new Request(`${BASE}/api/v1/apis/api_missing/definition`, {
          method: "PUT",
          body: "openapi: 3.0.3\n",
          headers: { authorization: `Bearer ${publisherBearer}`, "content-type": contentType },
        }),
        { params: Promise.resolve({ id: "api_missing" }) },
      );
    expect((await send("text/plain")).status).toBe(415);
    // Past the media type, to the lookup of the API.
    expect((await send("application/yaml")).status).toBe(404);
    expect((await send("application/vnd.oai.openapi+json")).status).toBe(404);
  });

  it("refuses a NUL character with 400 naming the field, and logs nothing of it", async () => {
    const response = await postApplication(JSON.stringify({ name: "nul\u0000-secret-name" }), { "content-type": "application/json" });
    expect(response.status).toBe(400);
    const problem = await response.json();
    expect(problem).toMatchObject({ code: "bad_request", errors: [{ path: "name" }] });
    expect(logged.join("")).not.toContain("secret-name");
  });

  it("refuses a NUL character in a nested value, a key and the query string", async () => {
    const nested = await postApplication(JSON.stringify({ name: "ok", description: "x", extra: { "k\u0000": 1 } }), {
      "content-type": "application/json",
    });
    expect(nested.status).toBe(400);
    expect(await nested.json()).toMatchObject({ code: "bad_request", errors: [{ path: "extra" }] });
    const { GET } = await import("@/app/api/v1/applications/route");
    const query = await GET(new Request(`${BASE}/api/v1/applications?q=a%00b`, { headers: { authorization: `Bearer ${bearer}` } }), {
      params: Promise.resolve({}),
    });
    expect(query.status).toBe(400);
  });

  it("refuses a NUL character in a path parameter with 400", async () => {
    const { GET } = await import("@/app/api/v1/applications/[id]/route");
    const response = await GET(new Request(`${BASE}/api/v1/applications/app_%00`, { headers: { authorization: `Bearer ${bearer}` } }), {
      params: Promise.resolve({ id: "app_\u0000" }),
    });
    expect(response.status).toBe(400);
  });

  it("refuses a body that is not UTF-8, a lone surrogate and a malformed query escape with 400", async () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode('{"name":"caf'), 0xe9, ...new TextEncoder().encode('"}')]);
    expect((await postApplication(latin1, { "content-type": "application/json" })).status).toBe(400);
    expect((await postApplication('{"name":"\\ud800"}', { "content-type": "application/json" })).status).toBe(400);
    const { GET } = await import("@/app/api/v1/applications/route");
    const query = await GET(new Request(`${BASE}/api/v1/applications?q=%FF`, { headers: { authorization: `Bearer ${bearer}` } }), {
      params: Promise.resolve({}),
    });
    expect(query.status).toBe(400);
  });
});

describe("database errors in the log", () => {
  it("records the statement and the error code, never the values the query was sent with", async () => {
    const { problemResponse } = await import("@/lib/api/problem");
    const db = await getDb();
    const error = await db.execute(sql`select ${"leaky-parameter-value"}::int as n`).then(
      () => undefined,
      (e: unknown) => e,
    );
    // What the driver hands over does carry the value: in drizzle's message, and in the cause's params.
    expect((error as Error).message).toContain("params: leaky-parameter-value");
    const response = problemResponse(error, "req-log-test");
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("leaky");
    const lines = logged.map((l) => JSON.parse(l) as { requestId?: string; err?: Record<string, unknown> });
    const line = lines.find((l) => l.requestId === "req-log-test");
    expect(line?.err).toBeDefined();
    const text = JSON.stringify(line);
    expect(text).toContain("22P02");
    expect(text).toContain("::int");
    expect(text).not.toContain("leaky-parameter-value");
    expect(text).not.toMatch(/params:/);
  });

  it("answers text the database cannot store with 400, unlogged, should it slip past the checks", async () => {
    const { problemResponse } = await import("@/lib/api/problem");
    const db = await getDb();
    const error = await db.execute(sql`select ${"nul\u0000leaky"}::text as t`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(problemResponse(error, "req-nul").status).toBe(400);
    expect(logged.join("")).not.toContain("leaky");
  });
});
