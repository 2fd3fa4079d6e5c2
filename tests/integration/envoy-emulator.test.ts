import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startK8sEmulator, K8S_DEFAULTS, type K8sEmulator } from "@/e2e/emulators/k8s/server";
import { httpRequest } from "@/lib/connectors/http";

// The Kubernetes API server subset of the emulator, spoken to as kubectl would.

let emu: K8sEmulator;
beforeAll(async () => {
  emu = await startK8sEmulator({ pageSize: 2, controllerDelayMs: 10 });
});
afterAll(() => emu?.close());
beforeEach(() => emu.reset());

const ROUTES = "/apis/gateway.networking.k8s.io/v1/namespaces/apis/httproutes";
const request = async (
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  token: string = K8S_DEFAULTS.token,
) => {
  const res = await httpRequest(`${emu.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    ca: emu.caCertificate,
    signal: AbortSignal.timeout(5000),
  });
  return {
    status: res.status, // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes answers of many shapes, read field by field
    body: JSON.parse(res.body || "{}") as Record<string, any>,
  };
};
const route = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name, ...extra },
  spec: {
    parentRefs: [{ name: "eg" }],
    rules: [{ matches: [{ path: { type: "PathPrefix", value: `/${name}` } }], backendRefs: [{ name: "svc", port: 80 }] }],
  },
});
const apply = (name: string, body: unknown, manager: string, force = false) =>
  request(
    "PATCH",
    `${ROUTES}/${name}?fieldManager=${manager}${force ? "&force=true" : ""}`,
    typeof body === "string" ? body : JSON.stringify(body),
    {
      "content-type": "application/apply-patch+yaml",
    },
  );

describe("Kubernetes emulator", () => {
  it("serves discovery documents and refuses a missing or wrong token with 401", async () => {
    expect((await request("GET", "/apis/gateway.envoyproxy.io/v1alpha1")).body.resources.map((r: { kind: string }) => r.kind)).toEqual([
      "Backend",
      "HTTPRouteFilter",
      "SecurityPolicy",
      "BackendTrafficPolicy",
    ]);
    expect(await request("GET", ROUTES, undefined, {}, "nope")).toMatchObject({
      status: 401,
      body: { kind: "Status", reason: "Unauthorized", code: 401 },
    });
    expect((await request("POST", ROUTES, route("a"), {}, K8S_DEFAULTS.readOnlyToken)).status).toBe(403);
  });

  it("applies YAML server-side per field manager: conflicts are 409 unless forced, and a manager's dropped fields go", async () => {
    const yaml = `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: a\n  labels:\n    owner: meridian\nspec:\n  parentRefs:\n  - name: eg\n`;
    expect((await apply("a", yaml, "meridian")).status).toBe(201);
    // kubectl adds a label of its own: both stay.
    expect(
      (
        await apply(
          "a",
          { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "a", labels: { team: "x" } } },
          "kubectl",
        )
      ).status,
    ).toBe(200);
    const conflict = await apply(
      "a",
      { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "a", labels: { owner: "kubectl" } } },
      "kubectl",
    );
    expect(conflict).toMatchObject({
      status: 409,
      body: { reason: "Conflict", details: { causes: [{ reason: "FieldManagerConflict", field: ".metadata.labels.owner" }] } },
    });
    // Meridian re-applies without its label: the label goes, kubectl's stays.
    const again = await apply(
      "a",
      { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "a" }, spec: { parentRefs: [{ name: "eg" }] } },
      "meridian",
    );
    expect(again.body.metadata.labels).toEqual({ team: "x" });
    expect((await apply("a", { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "a" } }, "")).status).toBe(
      400,
    );
    expect(
      (
        await apply(
          "a",
          { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "a", labels: { team: "y" } } },
          "meridian",
          true,
        )
      ).status,
    ).toBe(200);
  });

  it("answers 409 for a stale resourceVersion and for a name taken", async () => {
    const created = await request("POST", ROUTES, route("b"));
    expect(created.status).toBe(201);
    expect((await request("POST", ROUTES, route("b"))).body.reason).toBe("AlreadyExists");
    const stale = { ...created.body, metadata: { ...created.body.metadata, resourceVersion: "1" } };
    expect(await request("PUT", `${ROUTES}/b`, stale)).toMatchObject({
      status: 409,
      body: { reason: "Conflict", message: expect.stringMatching(/has been modified/) },
    });
    // The controller's status write moved the resourceVersion on: the latest read wins.
    await new Promise((r) => setTimeout(r, 100));
    const latest = (await request("GET", `${ROUTES}/b`)).body;
    expect(latest.metadata.resourceVersion).not.toBe(created.body.metadata.resourceVersion);
    expect((await request("PUT", `${ROUTES}/b`, created.body)).status).toBe(409);
    expect((await request("PUT", `${ROUTES}/b`, latest)).status).toBe(200);
  });

  it("refuses what the CRDs' structural schemas refuse with 422 Invalid and field causes", async () => {
    const bad = route("c");
    (bad.spec.rules[0].matches[0].path as { type: string }).type = "Glob";
    expect(await request("POST", ROUTES, bad)).toMatchObject({
      status: 422,
      body: {
        reason: "Invalid",
        details: { kind: "HTTPRoute", causes: [{ reason: "FieldValueNotSupported", field: "spec.rules[0].matches[0].path.type" }] },
      },
    });
    const policy = {
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      kind: "BackendTrafficPolicy",
      metadata: { name: "p" },
      spec: { rateLimit: { type: "Global", global: { rules: [{ limit: { requests: 1, unit: "Fortnight" } }] } } },
    };
    const refused = await request("POST", "/apis/gateway.envoyproxy.io/v1alpha1/namespaces/apis/backendtrafficpolicies", policy);
    expect(refused.body.details.causes.map((c: { field: string }) => c.field)).toEqual([
      "spec.targetRefs",
      "spec.rateLimit.global.rules[0].limit.unit",
    ]);
    expect((await request("POST", "/apis/gateway.networking.k8s.io/v1/namespaces/nowhere/httproutes", route("d"))).body).toMatchObject({
      code: 404,
      details: { kind: "namespaces" },
    });
  });

  it("pages lists with continue and selects by label", async () => {
    for (const n of ["r1", "r2", "r3", "r4", "r5"]) await request("POST", ROUTES, route(n, n === "r3" ? { labels: { pick: "yes" } } : {}));
    const names: string[] = [];
    let token = "";
    let pages = 0;
    do {
      const page = await request("GET", `${ROUTES}?limit=2${token ? `&continue=${token}` : ""}`);
      names.push(...page.body.items.map((i: { metadata: { name: string } }) => i.metadata.name));
      token = page.body.metadata.continue ?? "";
      pages++;
    } while (token);
    expect(names).toEqual(["r1", "r2", "r3", "r4", "r5"]);
    expect(pages).toBe(3);
    expect(
      (await request("GET", `${ROUTES}?labelSelector=pick%3Dyes`)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name),
    ).toEqual(["r3"]);
  });

  it("writes route status as Envoy Gateway's controller does", async () => {
    await request("POST", ROUTES, route("e"));
    await new Promise((r) => setTimeout(r, 100));
    const got = (await request("GET", `${ROUTES}/e`)).body;
    expect(
      got.status.parents[0].conditions.map((c: { type: string; status: string; reason: string }) => `${c.type}=${c.status} ${c.reason}`),
    ).toEqual(["Accepted=True Accepted", "ResolvedRefs=False BackendNotFound"]);
  });
});
