import { describe, expect, it } from "vitest";
import { validateDocument } from "@/lib/domain/openapi/validate";
import { buildOpenApiDocument } from "../document";

describe("management API description", () => {
  it("describes the API design endpoints in a valid OpenAPI 3.1 document", async () => {
    const doc = buildOpenApiDocument("test") as { paths: Record<string, Record<string, unknown>> };
    expect(await validateDocument(doc)).toMatchObject({ ok: true, spec: "openapi-3.1" });
    expect(Object.keys(doc.paths["/api/v1/apis"])).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/v1/apis/{id}"])).toEqual(["get", "patch", "delete"]);
    expect(Object.keys(doc.paths["/api/v1/apis/{id}/definition"])).toEqual(["get", "put"]);
    expect(doc.paths["/api/v1/apis/{id}/lifecycle"]).toHaveProperty("post");
    expect(doc.paths["/api/v1/apis/{id}/revisions/{revisionId}/restore"]).toHaveProperty("post");
    expect(doc.paths["/api/v1/apis/{id}/documents"]).toHaveProperty("post");
  });
});
