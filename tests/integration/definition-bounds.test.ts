import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PUT as putDefinition } from "@/app/api/v1/apis/[id]/definition/route";
import { POST as postRevision } from "@/app/api/v1/apis/[id]/revisions/route";
import { POST as postApi } from "@/app/api/v1/apis/route";
import { closeDb } from "@/lib/db/client";
import { createToken } from "@/lib/services/tokens/create-token";
import { userContext } from "../helpers";

// The route handlers are Next.js server modules; outside Next they load like any other module.
vi.mock("server-only", () => ({}));

/** Documents shaped to crash a recursive walk, sent through every REST entry that takes one. */
const LEVELS = 20_000;
const deepJsonValue = `${'{"a":'.repeat(LEVELS)}{"$ref":"#/components/schemas/X"}${"}".repeat(LEVELS)}`;
const deepJson = `{"openapi":"3.0.3","info":{"title":"Deep","version":"1"},"paths":{},"components":{"schemas":{"X":{"type":"object"},"Deep":${deepJsonValue}}}}`;
const deepYaml = `openapi: 3.0.3\ninfo:\n  title: Deep\n  version: "1"\npaths: {}\nx-deep: ${"[".repeat(LEVELS)}${"]".repeat(LEVELS)}\n`;
const plainYaml = `openapi: 3.0.3\ninfo:\n  title: Plain\n  version: "1"\npaths:\n  /things:\n    get:\n      responses:\n        "200":\n          description: ok\n`;

let bearer: string;
let server: http.Server;
let baseUrl: string;
let counter = 0;
const context = () => `/bounds-${Date.now().toString(36)}-${counter++}`;

beforeAll(async () => {
  const ctx = await userContext(["publisher"], "bounds");
  bearer = (await createToken({ name: "bounds" }, ctx)).token;
  server = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": req.url?.endsWith(".json") ? "application/json" : "application/yaml" });
    res.end(req.url?.endsWith(".json") ? deepJson : deepYaml);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await closeDb();
});

const headers = (contentType?: string) => ({ authorization: `Bearer ${bearer}`, ...(contentType ? { "content-type": contentType } : {}) });

async function create(body: BodyInit, contentType?: string) {
  const res = await postApi(new Request("http://localhost/api/v1/apis", { method: "POST", headers: headers(contentType), body }), {
    params: Promise.resolve({}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function replace(id: string, body: BodyInit, contentType: string) {
  const res = await putDefinition(
    new Request(`http://localhost/api/v1/apis/${id}/definition`, { method: "PUT", headers: headers(contentType), body }),
    { params: Promise.resolve({ id }) },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function expectTooDeep(answer: { status: number; body: Record<string, unknown> }) {
  expect(answer.status).toBe(400);
  expect(answer.body).toMatchObject({ code: "definition_too_complex", limit: "depth", max: 128, setting: "MERIDIAN_MAX_DEFINITION_DEPTH" });
  expect(String(answer.body.detail)).toMatch(/nested more than 128 levels deep/);
}

describe("documents nested 20,000 levels deep", () => {
  it("are refused with 400 definition_too_complex when imported as JSON or YAML text", async () => {
    expectTooDeep(await create(JSON.stringify({ context: context(), definition: deepJson }), "application/json"));
    expectTooDeep(await create(JSON.stringify({ context: context(), definition: deepYaml }), "application/json"));
  });

  it("are refused when the document is given as a JSON object in the body", async () => {
    expectTooDeep(await create(`{"context":"${context()}","definition":${deepJson}}`, "application/json"));
  });

  it("are refused when uploaded as a multipart file", async () => {
    for (const [text, name] of [
      [deepYaml, "deep.yaml"],
      [deepJson, "deep.json"],
    ]) {
      const form = new FormData();
      form.set("context", context());
      form.set("definition", new Blob([text]), name);
      expectTooDeep(await create(form));
    }
  });

  it("are refused when fetched from a URL", async () => {
    const previous = process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
    process.env.MERIDIAN_ALLOW_PRIVATE_URLS = "true";
    try {
      expectTooDeep(await create(JSON.stringify({ context: context(), definitionUrl: `${baseUrl}/deep.yaml` }), "application/json"));
      expectTooDeep(await create(JSON.stringify({ context: context(), definitionUrl: `${baseUrl}/deep.json` }), "application/json"));
    } finally {
      if (previous === undefined) delete process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
      else process.env.MERIDIAN_ALLOW_PRIVATE_URLS = previous;
    }
  });

  it("are refused as a new definition of an API, which keeps its document", async () => {
    const made = await create(JSON.stringify({ context: context(), definition: plainYaml }), "application/json");
    expect(made.status).toBe(201);
    const id = String(made.body.id);
    expectTooDeep(await replace(id, deepYaml, "application/yaml"));
    expectTooDeep(await replace(id, deepJson, "application/json"));
    const kept = await replace(id, plainYaml, "application/yaml");
    expect(kept).toMatchObject({ status: 200, body: { operationCount: 1 } });
  });

  it("are refused as the body of any other management call, before validation walks them", async () => {
    const made = await create(JSON.stringify({ context: context(), definition: plainYaml }), "application/json");
    const id = String(made.body.id);
    const res = await postRevision(
      new Request(`http://localhost/api/v1/apis/${id}/revisions`, {
        method: "POST",
        headers: headers("application/json"),
        body: `{"description":"x","extra":${deepJsonValue}}`,
      }),
      { params: Promise.resolve({ id }) },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "bad_request", detail: "The request body is nested more than 64 levels deep." });
  });
});

describe("documents with too many values", () => {
  it("are refused with 400 definition_too_complex, the bound read from MERIDIAN_MAX_DEFINITION_NODES", async () => {
    const many = JSON.stringify({
      openapi: "3.0.3",
      info: { title: "Many", version: "1" },
      paths: {},
      "x-many": Array.from({ length: 3000 }, (_, i) => ({ i, tag: `t${i}` })),
    });
    const previous = process.env.MERIDIAN_MAX_DEFINITION_NODES;
    process.env.MERIDIAN_MAX_DEFINITION_NODES = "5000";
    try {
      const answer = await create(JSON.stringify({ context: context(), definition: many }), "application/json");
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        code: "definition_too_complex",
        limit: "nodes",
        max: 5000,
        setting: "MERIDIAN_MAX_DEFINITION_NODES",
      });
      process.env.MERIDIAN_MAX_DEFINITION_NODES = "20000";
      expect((await create(JSON.stringify({ context: context(), definition: many }), "application/json")).status).toBe(201);
    } finally {
      if (previous === undefined) delete process.env.MERIDIAN_MAX_DEFINITION_NODES;
      else process.env.MERIDIAN_MAX_DEFINITION_NODES = previous;
    }
  });
});
