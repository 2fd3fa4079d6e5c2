import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { apis, applications, auditEntries, deployments, environments, subscriptions } from "@/lib/db/schema";
import { newId } from "@/lib/id";
import { AppError } from "@/lib/errors";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createApiVersion } from "@/lib/services/apis/create-api-version";
import { createRevision } from "@/lib/services/apis/create-revision";
import { deleteRevision } from "@/lib/services/apis/delete-revision";
import { listRevisions } from "@/lib/services/apis/list-revisions";
import { deleteApi } from "@/lib/services/apis/delete-api";
import { getApi, getApiDefinition } from "@/lib/services/apis/get-api";
import { listApis } from "@/lib/services/apis/list-apis";
import { listLifecycleEvents } from "@/lib/services/apis/list-lifecycle-events";
import { listOperations } from "@/lib/services/apis/list-operations";
import { updateApi } from "@/lib/services/apis/update-api";
import { updateDefinition } from "@/lib/services/apis/update-definition";
import { updateOperationPolicy } from "@/lib/services/apis/update-operation";
import type { ServiceContext } from "@/lib/services/context";
import { createTier } from "@/lib/services/tiers/create-tier";
import { generateLargeDocument } from "../fixtures/openapi/generate-large";
import { adminCtx, userContext } from "../helpers";

const fixture = (name: string) => fs.readFileSync(path.resolve("tests/fixtures/openapi", name), "utf8");
let counter = 0;
/** A context no other test uses, also on a shared PostgreSQL database. */
const uniqueContext = (label = "api") => `/${label}-${Date.now().toString(36)}-${counter++}`;

async function failure(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => undefined,
    (e) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

let publisher: ServiceContext;
let otherPublisher: ServiceContext;
let subscriber: ServiceContext;

beforeAll(async () => {
  publisher = await userContext(["publisher"], "pub");
  otherPublisher = await userContext(["publisher"], "pub2");
  subscriber = await userContext(["subscriber"], "sub");
});

afterAll(() => closeDb());

describe("creating APIs", () => {
  it("imports a 3.0 YAML document, keeps the text as uploaded and defaults from info", async () => {
    const text = fixture("petstore-3.0.yaml");
    const api = await createApi({ definition: text, context: uniqueContext("pets") }, publisher);
    expect(api).toMatchObject({
      name: "Petstore",
      version: "1.0.0",
      lifecycleState: "CREATED",
      operationCount: 4,
      sourceSpec: "openapi-3.0",
      definitionFormat: "yaml",
    });
    expect(api.id).toMatch(/^api_/);
    expect(api.endpoints.production).toBe("https://petstore.example.com/v1");
    expect(api.owners.map((o) => o.id)).toEqual([publisher.actor!.id]);
    const definition = await getApiDefinition(api.id, publisher);
    expect(definition.source).toBe(text);
    expect((definition.document as { paths: object }).paths).toHaveProperty("/pets/{petId}");
    const db = await getDb();
    const audit = await db.select().from(auditEntries).where(eq(auditEntries.objectId, api.id));
    expect(audit.map((a) => a.action)).toEqual(["api.create"]);
  });

  it("imports a 3.1 document with webhooks and a Swagger 2.0 document (normalized)", async () => {
    const v31 = await createApi({ definition: fixture("webhooks-3.1.json"), context: uniqueContext("orders") }, publisher);
    expect(v31.sourceSpec).toBe("openapi-3.1");
    expect(((await getApiDefinition(v31.id, publisher)).document as { webhooks: object }).webhooks).toHaveProperty("orderShipped");
    const v2 = await createApi({ definition: fixture("swagger-2.0.yaml"), context: uniqueContext("legacy") }, publisher);
    expect(v2.sourceSpec).toBe("swagger-2.0");
    const stored = await getApiDefinition(v2.id, publisher);
    expect(String(stored.document.openapi)).toMatch(/^3\.0/);
    expect(stored.source).toContain('swagger: "2.0"');
  });

  it("accepts the document as a JSON object", async () => {
    const doc = JSON.parse(fixture("webhooks-3.1.json"));
    const api = await createApi({ definition: doc, name: "Orders object", version: "9", context: uniqueContext() }, publisher);
    expect(api).toMatchObject({ name: "Orders object", version: "9", operationCount: 2 });
  });

  it("starts an API from scratch with its first operations", async () => {
    const api = await createApi(
      {
        name: "Scratch",
        version: "0.1.0",
        context: uniqueContext("scratch"),
        endpoints: { production: "https://backend.example.com", sandbox: null },
        operations: [
          { method: "GET", path: "/items" },
          { method: "post", path: "/items" },
          { method: "get", path: "/items/{id}" },
        ],
      },
      publisher,
    );
    expect(api.operationCount).toBe(3);
    expect(api.endpoints).toEqual({ production: "https://backend.example.com", sandbox: null, overrides: {} });
    const ops = await listOperations(api.id, {}, publisher);
    expect(ops.items.map((o) => `${o.method} ${o.path}`)).toEqual(["get /items", "post /items", "get /items/{id}"]);
  });

  it("refuses an external $ref, naming where it is", async () => {
    const error = await failure(createApi({ definition: fixture("external-ref.json"), context: uniqueContext() }, publisher));
    expect(error.code).toBe("invalid_definition");
    expect(error.status).toBe(400);
    expect(error.extra?.errors).toEqual([
      expect.objectContaining({ path: "/paths/~1widgets/get/responses/200/content/application~1json/schema/$ref", line: 8 }),
    ]);
    expect(error.message).toContain("./schemas/widget.yaml#/Widget");
  });

  it("refuses an invalid document with located errors, and a document over the size limit", async () => {
    const error = await failure(createApi({ definition: fixture("broken.yaml"), context: uniqueContext() }, publisher));
    expect(error.code).toBe("invalid_definition");
    expect(error.extra?.errors).toEqual([expect.objectContaining({ path: "/paths/~1things/get/parameters/0/schema/type", line: 13 })]);
    const previous = process.env.MERIDIAN_MAX_DEFINITION_BYTES;
    process.env.MERIDIAN_MAX_DEFINITION_BYTES = "1000";
    try {
      const tooLarge = await failure(createApi({ definition: fixture("petstore-3.0.yaml"), context: uniqueContext() }, publisher));
      expect(tooLarge.code).toBe("payload_too_large");
      expect(tooLarge.status).toBe(413);
    } finally {
      if (previous === undefined) delete process.env.MERIDIAN_MAX_DEFINITION_BYTES;
      else process.env.MERIDIAN_MAX_DEFINITION_BYTES = previous;
    }
  });

  it("gives 409 naming the API that holds a context in that version", async () => {
    const context = uniqueContext("taken");
    const first = await createApi({ name: "Holder", version: "1.0", context }, publisher);
    const clash = await failure(createApi({ name: "Clash", version: "1.0", context }, otherPublisher));
    expect(clash.code).toBe("conflict");
    expect(clash.status).toBe(409);
    expect(clash.message).toContain('"Holder"');
    expect(clash.extra?.conflictingApi).toEqual({ id: first.id, name: "Holder" });
    // Another version of the same context is fine.
    await expect(createApi({ name: "Holder", version: "2.0", context }, publisher)).resolves.toMatchObject({ version: "2.0" });
  });

  it("is refused to subscribers and to anonymous callers", async () => {
    expect((await failure(createApi({ name: "x", version: "1", context: uniqueContext() }, subscriber))).code).toBe("forbidden");
    expect((await failure(listApis({}, { actor: null }))).code).toBe("unauthenticated");
  });

  it("imports a 2 MB document with thousands of operations and pages them", async () => {
    const text = JSON.stringify(generateLargeDocument({ resources: 700 }));
    const api = await createApi({ definition: text, context: uniqueContext("large") }, publisher);
    expect(api.operationCount).toBe(3501);
    const page = await listOperations(api.id, { page: 3, pageSize: 50 }, publisher);
    expect(page.total).toBe(3501);
    expect(page.items).toHaveLength(50);
    expect(page.items[0].operationId).toBe("listItem0020");
    const search = await listOperations(api.id, { q: "item0699" }, publisher);
    expect(search.total).toBe(5);
  }, 60_000);
});

describe("URL import", () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end(fixture("petstore-3.0.yaml")));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.yaml`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("refuses loopback URLs unless private URLs are allowed", async () => {
    const previous = process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
    try {
      delete process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
      const refused = await failure(createApi({ definitionUrl: url, context: uniqueContext() }, publisher));
      expect(refused.code).toBe("bad_request");
      expect(refused.message).toMatch(/private, loopback or link-local/);
      process.env.MERIDIAN_ALLOW_PRIVATE_URLS = "true";
      const api = await createApi({ definitionUrl: url, context: uniqueContext("fetched") }, publisher);
      expect(api).toMatchObject({ name: "Petstore", operationCount: 4 });
    } finally {
      if (previous === undefined) delete process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
      else process.env.MERIDIAN_ALLOW_PRIVATE_URLS = previous;
    }
  });
});

describe("ownership", () => {
  it("lets publishers see and change only their own or co-owned APIs; admins see all", async () => {
    const tag = `own-${Date.now().toString(36)}`;
    const mine = await createApi({ name: `Mine ${tag}`, version: "1", context: uniqueContext(), tags: [tag] }, publisher);
    const theirs = await createApi({ name: `Theirs ${tag}`, version: "1", context: uniqueContext(), tags: [tag] }, otherPublisher);
    expect((await listApis({ q: tag }, publisher)).items.map((a) => a.id)).toEqual([mine.id]);
    expect((await listApis({ q: `MINE ${tag}` }, publisher)).items.map((a) => a.id)).toEqual([mine.id]);
    expect((await listApis({ q: mine.context }, publisher)).items.map((a) => a.id)).toEqual([mine.id]);
    await updateApi(mine.id, { name: `Renamed ${tag}`, tags: [] }, publisher);
    expect((await listApis({ q: `renamed ${tag}` }, publisher)).items.map((a) => a.id)).toEqual([mine.id]);
    expect((await listApis({ q: `mine ${tag}` }, publisher)).total).toBe(0);
    await updateApi(mine.id, { tags: [tag] }, publisher);
    expect((await listApis({ q: tag }, adminCtx)).items.map((a) => a.id).sort()).toEqual([mine.id, theirs.id].sort());
    expect((await failure(getApi(theirs.id, publisher))).code).toBe("not_found");
    expect((await failure(updateApi(theirs.id, { name: "Hijacked" }, publisher))).code).toBe("not_found");
    expect((await failure(deleteApi(theirs.id, publisher))).code).toBe("not_found");
    expect((await failure(changeLifecycle(theirs.id, { action: "publish" }, publisher))).code).toBe("not_found");

    // A co-owner may edit, and sees the API in their list.
    await updateApi(theirs.id, { owners: [otherPublisher.actor!.id, publisher.actor!.email] }, otherPublisher);
    await expect(updateApi(theirs.id, { description: "Edited by a co-owner" }, publisher)).resolves.toMatchObject({
      description: "Edited by a co-owner",
    });
    expect((await listApis({ q: tag }, publisher)).total).toBe(2);
  });

  it("refuses owners who cannot publish and keeps the editor among the owners", async () => {
    const api = await createApi({ name: "Owned", version: "1", context: uniqueContext() }, publisher);
    expect(
      (await failure(updateApi(api.id, { owners: [publisher.actor!.id, subscriber.actor!.id] }, publisher))).fieldErrors?.owners,
    ).toMatch(/publisher role/);
    expect((await failure(updateApi(api.id, { owners: [otherPublisher.actor!.id] }, publisher))).fieldErrors?.owners).toMatch(/yourself/);
    expect((await failure(updateApi(api.id, { owners: ["nobody@example.test"] }, publisher))).fieldErrors?.owners).toMatch(/No user/);
  });
});

describe("settings", () => {
  it("saves endpoints, security, CORS, rate limits, tiers and visibility", async () => {
    const suffix = Date.now().toString(36);
    await createTier({ name: `Gold${suffix}`, unlimited: true }, adminCtx);
    await createTier({ name: `Silver${suffix}`, requests: 100, unit: "minute" }, adminCtx);
    const api = await createApi({ name: "Settings", version: "1", context: uniqueContext() }, publisher);
    const updated = await updateApi(
      api.id,
      {
        endpoints: {
          production: "https://prod.example.com",
          sandbox: "https://sandbox.example.com",
          overrides: { "eu-west": { production: "https://eu.example.com" } },
        },
        security: { scheme: "apiKey", apiKeyHeader: "X-API-Key" },
        rateLimit: { requests: 100, unit: "minute", burst: 20 },
        cors: { enabled: true, origins: ["https://app.example.com"], methods: ["GET"], headers: ["content-type"], credentials: true },
        allowedTiers: [`Gold${suffix}`, `silver${suffix}`, `gold${suffix}`],
        visibility: "roles",
        visibleRoles: ["subscriber"],
        tags: ["pets", "beta"],
      },
      publisher,
    );
    expect(updated).toMatchObject({
      endpoints: {
        production: "https://prod.example.com",
        sandbox: "https://sandbox.example.com",
        overrides: { "eu-west": { production: "https://eu.example.com", sandbox: null } },
      },
      security: { scheme: "apiKey", apiKeyHeader: "X-API-Key" },
      rateLimit: { requests: 100, unit: "minute", burst: 20 },
      cors: { enabled: true, credentials: true },
      allowedTiers: [`Gold${suffix}`, `Silver${suffix}`],
      visibility: "roles",
      visibleRoles: ["subscriber"],
    });
  });

  it("refuses invalid settings on the field", async () => {
    const api = await createApi({ name: "Invalid settings", version: "1", context: uniqueContext() }, publisher);
    expect(
      (await failure(updateApi(api.id, { allowedTiers: [`NoSuchTier${Date.now().toString(36)}`] }, publisher))).fieldErrors?.allowedTiers,
    ).toMatch(/Unknown subscription tier|No subscription tiers/);
    expect(
      (await failure(updateApi(api.id, { endpoints: { production: "javascript:alert(1)" } } as never, publisher))).fieldErrors?.[
        "endpoints.production"
      ],
    ).toMatch(/http or https/);
    expect((await failure(updateApi(api.id, { context: "no-slash" }, publisher))).fieldErrors?.context).toMatch(/base path/);
    expect(
      (await failure(updateApi(api.id, { cors: { enabled: true, origins: ["*"], credentials: true } } as never, publisher))).fieldErrors?.[
        "cors.origins"
      ],
    ).toMatch(/Credentials/);
    expect((await failure(updateApi(api.id, { visibility: "roles", visibleRoles: [] }, publisher))).fieldErrors?.visibleRoles).toBeTruthy();
    expect((await failure(updateApi(api.id, { rateLimit: { requests: 0, unit: "minute", burst: 0 } }, publisher))).code).toBe(
      "validation_failed",
    );
  });

  it("gives 409 when a new context clashes", async () => {
    const context = uniqueContext("clash");
    const holder = await createApi({ name: "Context holder", version: "1", context }, publisher);
    const other = await createApi({ name: "Mover", version: "1", context: uniqueContext() }, publisher);
    const error = await failure(updateApi(other.id, { context }, publisher));
    expect(error.status).toBe(409);
    expect(error.extra?.conflictingApi).toEqual({ id: holder.id, name: "Context holder" });
  });
});

describe("definition", () => {
  it("refuses an invalid document and keeps the stored one; carries operation policies over", async () => {
    const api = await createApi({ definition: fixture("petstore-3.0.yaml"), context: uniqueContext() }, publisher);
    await updateOperationPolicy(
      api.id,
      { method: "delete", path: "/pets/{petId}", security: "none", rateLimit: { requests: 5, unit: "second", burst: 0 } },
      publisher,
    );
    const before = await getApiDefinition(api.id, publisher);
    const error = await failure(updateDefinition(api.id, fixture("broken.yaml"), publisher));
    expect(error.code).toBe("invalid_definition");
    expect((await getApiDefinition(api.id, publisher)).source).toBe(before.source);

    const check = await updateDefinition(api.id, fixture("petstore-3.0.yaml").replace("List all pets", "List every pet"), publisher, {
      dryRun: true,
    });
    expect(check).toMatchObject({ valid: true, operationCount: 4 });
    expect((await getApiDefinition(api.id, publisher)).source).toBe(before.source);

    const edited = fixture("petstore-3.0.yaml").replace("List all pets", "List every pet");
    await updateDefinition(api.id, edited, publisher);
    expect((await getApiDefinition(api.id, publisher)).source).toBe(edited);
    const ops = await listOperations(api.id, {}, publisher);
    expect(ops.items.find((o) => o.operationId === "listPets")?.summary).toBe("List every pet");
    expect(ops.items.find((o) => o.operationId === "deletePet")).toMatchObject({ security: "none", rateLimit: { requests: 5 } });
    expect(
      (await failure(updateOperationPolicy(api.id, { method: "patch", path: "/pets", security: null, rateLimit: null }, publisher))).code,
    ).toBe("not_found");
  });
});

describe("lifecycle", () => {
  it("publishes without a deployed revision, deprecates, records history, and refuses invalid transitions with the allowed actions", async () => {
    const api = await createApi({ name: "Lifecycle", version: "1", context: uniqueContext() }, publisher);
    expect(api.allowedActions).toEqual(["publish", "prototype"]);
    const invalid = await failure(changeLifecycle(api.id, { action: "retire" }, publisher));
    expect(invalid).toMatchObject({ code: "invalid_transition", status: 409 });
    expect(invalid.extra).toMatchObject({ currentState: "CREATED", allowedActions: ["publish", "prototype"] });

    // Decided: publishing does not need a deployed revision while there is no deployment engine.
    expect((await changeLifecycle(api.id, { action: "publish" }, publisher)).lifecycleState).toBe("PUBLISHED");
    expect((await changeLifecycle(api.id, { action: "deprecate" }, publisher)).lifecycleState).toBe("DEPRECATED");
    const retired = await changeLifecycle(api.id, { action: "retire" }, publisher);
    expect(retired).toMatchObject({ lifecycleState: "RETIRED", allowedActions: [] });
    expect((await failure(changeLifecycle(api.id, { action: "publish" }, publisher))).extra?.allowedActions).toEqual([]);

    const history = await listLifecycleEvents(api.id, publisher);
    expect(history.map((e) => `${e.fromState}->${e.toState}`)).toEqual([
      "DEPRECATED->RETIRED",
      "PUBLISHED->DEPRECATED",
      "CREATED->PUBLISHED",
      "CREATED->CREATED",
    ]);
    expect(history[0]).toMatchObject({ action: "retire", actorEmail: publisher.actor!.email });
    expect((await failure(changeLifecycle(api.id, { action: "explode" } as never, publisher))).code).toBe("validation_failed");
  });
});

describe("new version and deletion", () => {
  it("copies an API under a new version and leaves the original untouched", async () => {
    const original = await createApi({ definition: fixture("petstore-3.0.yaml"), context: uniqueContext("versioned") }, publisher);
    await updateApi(original.id, { security: { scheme: "apiKey", apiKeyHeader: "X-Key" } }, publisher);
    await changeLifecycle(original.id, { action: "publish" }, publisher);
    const copy = await createApiVersion(original.id, { version: "2.0.0" }, publisher);
    expect(copy).toMatchObject({
      name: "Petstore",
      version: "2.0.0",
      context: original.context,
      lifecycleState: "CREATED",
      security: { scheme: "apiKey" },
      operationCount: 4,
    });
    expect(copy.id).not.toBe(original.id);
    const copied = await getApiDefinition(copy.id, publisher);
    expect((copied.document.info as { version: string }).version).toBe("2.0.0");
    expect(copied.source).toContain("version: 2.0.0");
    const untouched = await getApi(original.id, publisher);
    expect(untouched).toMatchObject({ version: "1.0.0", lifecycleState: "PUBLISHED" });
    expect((await getApiDefinition(original.id, publisher)).source).toBe(fixture("petstore-3.0.yaml"));
    expect((await failure(createApiVersion(original.id, { version: "1.0.0" }, publisher))).status).toBe(409);
  });

  it("refuses to delete an API that is deployed or subscribed, saying why", async () => {
    const api = await createApi({ name: "In use", version: "1", context: uniqueContext() }, publisher);
    const revision = await createRevision(api.id, {}, publisher);
    const db = await getDb();
    const suffix = Date.now().toString(36) + counter++;
    const [env] = await db
      .insert(environments)
      .values({ id: newId("env"), name: `env-${suffix}`, displayName: "Env", type: "builtin", mode: "write-only" })
      .returning();
    const deploymentId = newId("dep");
    await db
      .insert(deployments)
      .values({ id: deploymentId, apiId: api.id, revisionId: revision.id, environmentId: env.id, status: "deployed" });
    const [app] = await db
      .insert(applications)
      .values({ id: newId("app"), ownerId: subscriber.actor!.id, name: `app-${suffix}` })
      .returning();
    const subscriptionId = newId("sub");
    await db.insert(subscriptions).values({ id: subscriptionId, applicationId: app.id, apiId: api.id, tier: "Gold", status: "active" });

    const deployed = await failure(deleteApi(api.id, publisher));
    expect(deployed).toMatchObject({ code: "conflict", status: 409 });
    expect(deployed.message).toMatch(/deployed to 1 gateway environment/);
    expect(deployed.message).toMatch(/1 active subscription/);
    expect((await failure(deleteRevision(api.id, revision.id, publisher))).message).toMatch(/is deployed/);
    expect((await listRevisions(api.id, publisher)).items[0].deployed).toBe(true);

    await db.update(deployments).set({ status: "undeployed" }).where(eq(deployments.id, deploymentId));
    const subscribed = await failure(deleteApi(api.id, publisher));
    expect(subscribed.message).toMatch(/1 active subscription/);
    expect(subscribed.message).not.toMatch(/deployed to/);

    await db.update(subscriptions).set({ status: "blocked" }).where(eq(subscriptions.id, subscriptionId));
    await deleteApi(api.id, publisher);
    expect(await db.select().from(apis).where(eq(apis.id, api.id))).toHaveLength(0);
    expect(await db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId))).toHaveLength(0);
  });

  it("deletes an API that is deployed nowhere and has no subscriptions", async () => {
    const api = await createApi({ name: "Doomed", version: "1", context: uniqueContext() }, publisher);
    await deleteApi(api.id, publisher);
    const db = await getDb();
    expect(await db.select().from(apis).where(eq(apis.id, api.id))).toHaveLength(0);
    expect((await failure(getApi(api.id, publisher))).code).toBe("not_found");
  });
});
