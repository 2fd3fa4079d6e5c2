import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKongEmulator, type KongEmulator } from "@/e2e/emulators/kong/server";

// The Kong emulator answers as Kong's Admin API does: these are the shapes the connector relies on.

describe("Kong emulator, Admin API with a database", () => {
  let emu: KongEmulator;
  beforeAll(async () => {
    emu = await startKongEmulator({ adminTokens: ["t0k"], workspaces: ["team"] });
  });
  afterAll(() => emu?.close());
  beforeEach(() => emu.reset());

  const admin = async (method: string, path: string, body?: unknown, token = "t0k") => {
    const res = await fetch(`${emu.adminUrl}${path}`, {
      method,
      headers: { "kong-admin-token": token, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };

  it("refuses a wrong admin token and an unknown workspace", async () => {
    expect(await admin("GET", "/services", undefined, "nope")).toEqual({
      status: 401,
      body: { message: "Invalid credentials. Token or User credentials required" },
    });
    expect((await admin("GET", "/elsewhere/services")).status).toBe(404);
    expect((await admin("GET", "/team/services")).status).toBe(200);
  });

  it("answers schema violations with fields, unique names with 409, and references on delete", async () => {
    const bad = await admin("POST", "/services", { name: "bad name", host: "x", port: 70000, colour: "red" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 2,
      name: "schema violation",
      fields: { name: "invalid value: bad name", port: "value should be between 0 and 65535", colour: "unknown field" },
    });
    expect((await admin("POST", "/services", { name: "orders", url: "http://backend:8080/v1" })).body).toMatchObject({
      protocol: "http",
      host: "backend",
      port: 8080,
      path: "/v1",
    });
    expect((await admin("POST", "/services", { name: "orders", host: "other" })).body).toMatchObject({
      code: 5,
      message: `UNIQUE violation detected on '{name="orders"}'`,
    });
    const route = await admin("POST", "/services/orders/routes", { name: "r1", protocols: ["http"] });
    expect(route.body.fields).toEqual({
      "@entity": ["must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"],
    });
    expect((await admin("POST", "/services/orders/routes", { name: "r1", paths: ["orders"] })).body.fields).toEqual({
      paths: { "1": "should start with: / (fixed path) or ~/ (regex path)" },
    });
    expect((await admin("POST", "/services/orders/routes", { name: "r1", paths: ["/orders"] })).status).toBe(201);
    expect((await admin("DELETE", "/services/orders")).body).toMatchObject({
      code: 3,
      message: "an existing 'routes' entity references this 'services' entity",
    });
    expect((await admin("POST", "/plugins", { name: "acl", config: { allow: ["a"], deny: ["b"] } })).status).toBe(400);
    expect((await admin("POST", "/plugins", { name: "oauth3", config: {} })).body.fields).toEqual({
      name: "plugin 'oauth3' not enabled; add it to the 'plugins' configuration property",
    });
  });

  it("pages with offset and next, and filters by tags (comma: all of them, slash: any)", async () => {
    for (let i = 0; i < 5; i++) await admin("POST", "/services", { name: `s${i}`, host: "h", tags: i % 2 ? ["odd", "x"] : ["even", "x"] });
    const first = await admin("GET", "/services?size=2");
    expect((first.body.data as unknown[]).length).toBe(2);
    expect(first.body.next).toBe(`/services?size=2&offset=${String(first.body.offset)}`);
    const names: string[] = [];
    let next: string | null = "/services?size=2";
    while (next) {
      const page = await admin("GET", next);
      names.push(...(page.body.data as Array<{ name: string }>).map((s) => s.name));
      next = page.body.next as string | null;
    }
    expect(names.sort()).toEqual(["s0", "s1", "s2", "s3", "s4"]);
    expect(((await admin("GET", "/services?tags=odd,x")).body.data as unknown[]).length).toBe(2);
    expect(((await admin("GET", "/services?tags=odd/even")).body.data as unknown[]).length).toBe(5);
    expect((await admin("GET", "/services?size=1001")).status).toBe(400);
    expect((await admin("GET", "/services?offset=%%%")).status).toBe(400);
  });

  it("refuses /config when Kong has a database, and injects faults", async () => {
    expect((await admin("POST", "/config", { _format_version: "3.0" })).body).toEqual({
      message: "this endpoint is only available when Kong is configured to not use a database",
    });
    await fetch(`${emu.adminUrl}/_emulator/faults`, { method: "POST", body: JSON.stringify({ status: 503, times: 1 }) });
    expect((await admin("GET", "/services")).status).toBe(503);
    expect((await admin("GET", "/services")).status).toBe(200);
  });
});

describe("Kong emulator, DB-less", () => {
  let emu: KongEmulator;
  beforeAll(async () => {
    emu = await startKongEmulator({ mode: "dbless" });
  });
  afterAll(() => emu?.close());

  const post = async (doc: unknown) => {
    const res = await fetch(`${emu.adminUrl}/config?flatten_errors=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(doc),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("loads a nested declarative file at once, or nothing with flattened errors", async () => {
    const ok = await post({
      _format_version: "3.0",
      services: [{ name: "a", url: "http://a.test", routes: [{ name: "ra", paths: ["/a"], plugins: [{ name: "key-auth" }] }] }],
      consumers: [{ username: "c", keyauth_credentials: [{ key: "k1" }] }],
    });
    expect(ok.status).toBe(201);
    const bad = await post({
      _format_version: "3.0",
      services: [{ name: "b", url: "http://b.test", routes: [{ name: "rb", paths: ["b"] }] }],
      consumers: [
        { username: "d", keyauth_credentials: [{ key: "k2" }] },
        { custom_id: "e", keyauth_credentials: [{ key: "k2" }] },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 14, name: "invalid declarative configuration" });
    expect(bad.body.flattened_errors).toEqual([
      expect.objectContaining({
        entity_type: "route",
        entity_name: "rb",
        errors: [{ type: "field", field: "paths", message: '{"1":"should start with: / (fixed path) or ~/ (regex path)"}' }],
      }),
      expect.objectContaining({ entity_type: "keyauth_credentials", errors: [expect.objectContaining({ field: "key" })] }),
    ]);
    // The first configuration still serves.
    const config = JSON.parse(((await (await fetch(`${emu.adminUrl}/config`)).json()) as { config: string }).config) as {
      services: Array<{ name: string }>;
    };
    expect(config.services.map((s) => s.name)).toEqual(["a"]);
    expect(
      (await fetch(`${emu.adminUrl}/services`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status,
    ).toBe(405);
    const proxied = await fetch(`${emu.proxyUrl}/a`, { headers: { apikey: "nope" } });
    expect(proxied.status).toBe(401);
    expect(await proxied.json()).toEqual({ message: "Invalid authentication credentials" });
    expect((await fetch(`${emu.proxyUrl}/zzz`)).status).toBe(404);
  });
});
