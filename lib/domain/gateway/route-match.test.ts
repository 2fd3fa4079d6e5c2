import { describe, expect, it } from "vitest";
import { buildApiRouter, buildOperationRouter, matchApi, matchOperation, splitPath } from "./route-match";

const apis = [
  { id: "pets-v1", context: "/pets", version: "v1", isDefaultVersion: false },
  { id: "pets-v2", context: "/pets", version: "v2", isDefaultVersion: true },
  { id: "orders", context: "/store/orders", version: "1.0", isDefaultVersion: false },
  { id: "store", context: "/store", version: "1.0", isDefaultVersion: true },
];
const router = buildApiRouter(apis);
const route = (path: string) => {
  const m = matchApi(router, splitPath(path)!);
  return m && { id: m.api.id, rest: m.rest.join("/") };
};

describe("matchApi", () => {
  it("selects an explicit version", () => {
    expect(route("/pets/v1/7")).toEqual({ id: "pets-v1", rest: "7" });
    expect(route("/pets/v2")).toEqual({ id: "pets-v2", rest: "" });
  });

  it("sends paths without a version to the default version", () => {
    expect(route("/pets/7")).toEqual({ id: "pets-v2", rest: "7" });
    expect(route("/pets")).toEqual({ id: "pets-v2", rest: "" });
  });

  it("prefers the longest context", () => {
    expect(route("/store/orders/1.0/9")).toEqual({ id: "orders", rest: "9" });
    expect(route("/store/1.0/items")).toEqual({ id: "store", rest: "items" });
  });

  it("falls back to a shorter context when the longer has no such version nor a default", () => {
    expect(route("/store/orders/2.0")).toEqual({ id: "store", rest: "orders/2.0" });
  });

  it("finds nothing for unknown contexts", () => {
    expect(route("/cats/v1")).toBeNull();
    expect(route("/")).toBeNull();
    expect(route("/petsx/v1")).toBeNull();
  });

  it("ignores empty segments and a trailing slash", () => {
    expect(route("//pets//v1/7/")).toEqual({ id: "pets-v1", rest: "7" });
  });
});

describe("splitPath", () => {
  it.each(["/pets/../admin", "/pets/./x", "/pets/%2e%2e/admin", "/pets/%2E/x", "/pets/.%2e/x"])("refuses dot segments in %s", (p) => {
    expect(splitPath(p)).toBeNull();
  });

  it("keeps segments that merely contain dots", () => {
    expect(splitPath("/a/.well-known/b..c/...")).toEqual(["a", ".well-known", "b..c", "..."]);
  });
});

describe("matchOperation", () => {
  const ops = [
    { method: "GET", path: "/*" },
    { method: "GET", path: "/pets/{id}" },
    { method: "GET", path: "/pets/mine" },
    { method: "GET", path: "/pets/{id}.json" },
    { method: "DELETE", path: "/pets/{id}" },
    { method: "GET", path: "/pets/*" },
    { method: "GET", path: "/pets/{id}/toys/{toy}" },
    { method: "POST", path: "/" },
  ];
  const ops2 = buildOperationRouter(ops);
  const op = (method: string, path: string) => {
    const m = matchOperation(ops2, method, splitPath(path)!);
    if (!m) return null;
    return "operation" in m ? `${m.operation.method} ${m.operation.path}` : { allowed: m.allowed.sort() };
  };

  it("prefers literal segments over parameters", () => {
    expect(op("GET", "/pets/mine")).toBe("GET /pets/mine");
    expect(op("GET", "/pets/7")).toBe("GET /pets/{id}");
  });

  it("prefers mixed segments over bare parameters", () => {
    expect(op("GET", "/pets/7.json")).toBe("GET /pets/{id}.json");
  });

  it("prefers longer templates and parameters over wildcards", () => {
    expect(op("GET", "/pets/7/toys/ball")).toBe("GET /pets/{id}/toys/{toy}");
    expect(op("GET", "/pets/7/bowls")).toBe("GET /pets/*");
    expect(op("GET", "/other/thing")).toBe("GET /*");
    expect(op("GET", "/")).toBe("GET /*");
  });

  it("matches the root template", () => {
    expect(op("POST", "/")).toBe("POST /");
  });

  it("matches on method and lists allowed methods when only the path matches", () => {
    expect(op("DELETE", "/pets/7")).toBe("DELETE /pets/{id}");
    expect(op("PUT", "/pets/7")).toEqual({ allowed: ["DELETE", "GET"] });
  });

  it("answers HEAD with the GET operation", () => {
    expect(op("HEAD", "/pets/7")).toBe("GET /pets/{id}");
  });

  it("finds nothing when no template matches", () => {
    const strict = buildOperationRouter([{ method: "GET", path: "/pets/{id}" }]);
    expect(matchOperation(strict, "GET", ["pets"])).toBeNull();
    expect(matchOperation(strict, "GET", ["pets", "1", "2"])).toBeNull();
  });
});
