import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { readCreateApiBody, readDefinitionBody } from "./definition-body";

const DOC = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths: {}\n";

async function failure(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

afterEach(() => {
  delete process.env.MERIDIAN_MAX_DEFINITION_BYTES;
});

describe("definition request bodies", () => {
  it("reads JSON with the document as a string", async () => {
    const req = new Request("http://x/api/v1/apis", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "A", definition: DOC }),
    });
    expect(await readCreateApiBody(req)).toEqual({ name: "A", definition: DOC });
  });

  it("reads a multipart upload with metadata, or with plain fields", async () => {
    const form = new FormData();
    form.set("definition", new Blob([DOC], { type: "application/yaml" }), "openapi.yaml");
    form.set("metadata", JSON.stringify({ context: "/t", endpoints: { production: "https://b.example.com" } }));
    expect(await readCreateApiBody(new Request("http://x", { method: "POST", body: form }))).toEqual({
      context: "/t",
      endpoints: { production: "https://b.example.com" },
      definition: DOC,
    });
    const plain = new FormData();
    plain.set("file", new Blob([DOC]), "openapi.yaml");
    plain.set("name", "Plain");
    expect(await readCreateApiBody(new Request("http://x", { method: "POST", body: plain }))).toEqual({ name: "Plain", definition: DOC });
  });

  it("refuses bodies over the definition limit with 413, declared or streamed", async () => {
    process.env.MERIDIAN_MAX_DEFINITION_BYTES = "100";
    const big = "x".repeat(500_000);
    const declared = new Request("http://x", { method: "PUT", headers: { "content-length": String(big.length) }, body: big });
    expect((await failure(readDefinitionBody(declared))).status).toBe(413);
    const streamed = new Request("http://x", { method: "PUT", body: big });
    expect((await failure(readDefinitionBody(streamed))).code).toBe("payload_too_large");
    // Small enough for the body bound, but the document itself is over the limit.
    const json = new Request("http://x", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ definition: "y".repeat(150) }),
    });
    expect((await failure(readCreateApiBody(json))).status).toBe(413);
  });

  it("reads a raw document for PUT, and refuses malformed bodies", async () => {
    expect(
      await readDefinitionBody(new Request("http://x", { method: "PUT", headers: { "content-type": "application/yaml" }, body: DOC })),
    ).toBe(DOC);
    expect(
      (
        await failure(
          readCreateApiBody(
            new Request("http://x", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" }),
          ),
        )
      ).code,
    ).toBe("bad_request");
    expect(
      (
        await failure(
          readCreateApiBody(new Request("http://x", { method: "POST", headers: { "content-type": "application/json" }, body: "[1]" })),
        )
      ).code,
    ).toBe("bad_request");
  });
});
