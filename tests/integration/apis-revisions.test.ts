import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { compareRevisions, WORKING_COPY } from "@/lib/services/apis/compare-revisions";
import { createApi } from "@/lib/services/apis/create-api";
import { createDocument } from "@/lib/services/apis/create-document";
import { createRevision } from "@/lib/services/apis/create-revision";
import { deleteDocument } from "@/lib/services/apis/delete-document";
import { deleteRevision } from "@/lib/services/apis/delete-revision";
import { getApi, getApiDefinition } from "@/lib/services/apis/get-api";
import { getDocument, listDocuments } from "@/lib/services/apis/list-documents";
import { getRevision, listRevisions } from "@/lib/services/apis/list-revisions";
import { listOperations } from "@/lib/services/apis/list-operations";
import { restoreRevision } from "@/lib/services/apis/restore-revision";
import { updateApi } from "@/lib/services/apis/update-api";
import { updateDefinition } from "@/lib/services/apis/update-definition";
import { updateDocument } from "@/lib/services/apis/update-document";
import { updateOperationPolicy } from "@/lib/services/apis/update-operation";
import type { ServiceContext } from "@/lib/services/context";
import { userContext } from "../helpers";

const fixture = (name: string) => fs.readFileSync(path.resolve("tests/fixtures/openapi", name), "utf8");
let counter = 0;
const uniqueContext = (label = "rev") => `/${label}-${Date.now().toString(36)}-${counter++}`;

async function failure(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => undefined,
    (e) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

let publisher: ServiceContext;
let stranger: ServiceContext;

beforeAll(async () => {
  publisher = await userContext(["publisher"], "revpub");
  stranger = await userContext(["publisher"], "stranger");
});

afterAll(() => closeDb());

describe("revisions", () => {
  it("snapshots, lists, compares and restores definition and settings", async () => {
    const original = fixture("petstore-3.0.yaml");
    const api = await createApi({ definition: original, context: uniqueContext() }, publisher);
    await updateOperationPolicy(api.id, { method: "get", path: "/pets", security: "none", rateLimit: null }, publisher);
    const r1 = await createRevision(api.id, { description: "First cut" }, publisher);
    expect(r1).toMatchObject({ number: 1, description: "First cut", operationCount: 4, deployed: false });

    const edited = original.replace("List all pets", "List every pet").replace("  version: 1.0.0", "  version: 1.1.0");
    await updateDefinition(api.id, edited, publisher);
    await updateApi(
      api.id,
      { endpoints: { production: "https://v2.example.com", sandbox: null }, security: { scheme: "apiKey" } },
      publisher,
    );
    await updateOperationPolicy(api.id, { method: "get", path: "/pets", security: null, rateLimit: null }, publisher);
    const r2 = await createRevision(api.id, { description: "Second" }, publisher);
    expect(r2.number).toBe(2);

    const list = await listRevisions(api.id, publisher);
    expect(list.items.map((r) => r.number)).toEqual([2, 1]);
    expect(list.maxRevisions).toBe(10);

    const diff = await compareRevisions(api.id, r1.id, r2.id, publisher);
    expect(diff.from.label).toBe("Revision 1");
    expect(diff.definition.lines.filter((l) => l.kind === "removed").map((l) => l.text.trim())).toEqual([
      "version: 1.0.0",
      "summary: List all pets",
    ]);
    expect(diff.definition.lines.filter((l) => l.kind === "added").map((l) => l.text.trim())).toEqual([
      "version: 1.1.0",
      "summary: List every pet",
    ]);
    expect(diff.settings.map((c) => c.field).sort()).toEqual(["endpoints.production", "operationPolicies.GET /pets", "security.scheme"]);
    expect(diff.settings.find((c) => c.field === "security.scheme")).toEqual({
      field: "security.scheme",
      before: "oauth2",
      after: "apiKey",
    });
    const none = await compareRevisions(api.id, r2.id, WORKING_COPY, publisher);
    expect(none.definition).toMatchObject({ added: 0, removed: 0 });
    expect(none.settings).toEqual([]);

    const restored = await restoreRevision(api.id, r1.id, publisher);
    expect(restored).toMatchObject({ security: { scheme: "oauth2" }, endpoints: { production: "https://petstore.example.com/v1" } });
    expect((await getApiDefinition(api.id, publisher)).source).toBe(original);
    const ops = await listOperations(api.id, {}, publisher);
    expect(ops.items.find((o) => o.path === "/pets" && o.method === "get")).toMatchObject({ summary: "List all pets", security: "none" });
    // The revisions themselves did not change.
    expect((await getRevision(api.id, r2.id, publisher)).settings.security.scheme).toBe("apiKey");
  });

  it("keeps at most the configured number of revisions, and deletion frees a place without reusing numbers", async () => {
    const previous = process.env.MERIDIAN_MAX_REVISIONS;
    process.env.MERIDIAN_MAX_REVISIONS = "3";
    try {
      const api = await createApi({ name: "Capped", version: "1", context: uniqueContext() }, publisher);
      const revs = [];
      for (let i = 0; i < 3; i++) revs.push(await createRevision(api.id, { description: `r${i}` }, publisher));
      const refused = await failure(createRevision(api.id, {}, publisher));
      expect(refused).toMatchObject({ code: "conflict", status: 409 });
      expect(refused.message).toMatch(/Delete a revision/);
      expect(refused.extra).toMatchObject({ maxRevisions: 3 });
      await deleteRevision(api.id, revs[0].id, publisher);
      const next = await createRevision(api.id, {}, publisher);
      expect(next.number).toBe(4);
      expect((await listRevisions(api.id, publisher)).items.map((r) => r.number)).toEqual([4, 3, 2]);
      expect((await getApi(api.id, publisher)).lastRevisionNumber).toBe(4);
    } finally {
      if (previous === undefined) delete process.env.MERIDIAN_MAX_REVISIONS;
      else process.env.MERIDIAN_MAX_REVISIONS = previous;
    }
  });

  it("refuses strangers and unknown revisions", async () => {
    const api = await createApi({ name: "Private revs", version: "1", context: uniqueContext() }, publisher);
    const rev = await createRevision(api.id, {}, publisher);
    expect((await failure(listRevisions(api.id, stranger))).code).toBe("not_found");
    expect((await failure(createRevision(api.id, {}, stranger))).code).toBe("not_found");
    expect((await failure(restoreRevision(api.id, rev.id, stranger))).code).toBe("not_found");
    expect((await failure(deleteRevision(api.id, "rev_missing", publisher))).code).toBe("not_found");
    expect((await failure(compareRevisions(api.id, rev.id, "rev_missing", publisher))).code).toBe("not_found");
  });
});

describe("documents", () => {
  it("stores markdown and links, and renders markdown sanitized", async () => {
    const api = await createApi({ name: "Documented", version: "1", context: uniqueContext() }, publisher);
    const guide = await createDocument(
      api.id,
      {
        title: "Getting started",
        kind: "how-to",
        sourceType: "markdown",
        content: "# Hello\n\n<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
      },
      publisher,
    );
    expect(guide.html).toContain("<h1>Hello</h1>");
    expect(guide.html).not.toMatch(/<script|href="javascript:|onerror/i);
    const link = await createDocument(
      api.id,
      { title: "Reference", kind: "other", sourceType: "url", url: "https://docs.example.com" },
      publisher,
    );
    expect(link).toMatchObject({ sourceType: "url", url: "https://docs.example.com", html: null });
    expect(
      (await failure(createDocument(api.id, { title: "Bad", kind: "other", sourceType: "url", url: "javascript:alert(1)" }, publisher)))
        .fieldErrors?.url,
    ).toMatch(/http or https/);
    expect(
      (await failure(createDocument(api.id, { title: "Getting started", kind: "sample", sourceType: "markdown", content: "" }, publisher)))
        .code,
    ).toBe("conflict");

    const updated = await updateDocument(api.id, guide.id, { content: "Updated **text**" }, publisher);
    expect(updated.html).toContain("<strong>text</strong>");
    expect((await failure(updateDocument(api.id, link.id, { content: "x" }, publisher))).code).toBe("validation_failed");
    expect((await listDocuments(api.id, publisher)).map((d) => d.title)).toEqual(["Getting started", "Reference"]);
    expect((await failure(getDocument(api.id, guide.id, stranger))).code).toBe("not_found");
    await deleteDocument(api.id, link.id, publisher);
    expect((await listDocuments(api.id, publisher)).map((d) => d.title)).toEqual(["Getting started"]);
  });
});
