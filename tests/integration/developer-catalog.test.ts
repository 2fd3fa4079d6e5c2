import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createDocument } from "@/lib/services/apis/create-document";
import { createRevision } from "@/lib/services/apis/create-revision";
import { getCatalogApi, getCatalogDefinition, listCatalogDocuments } from "@/lib/services/catalog/get-catalog-api";
import { listCatalog, listCatalogEnvironments } from "@/lib/services/catalog/list-catalog";
import type { ServiceContext } from "@/lib/services/context";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { eq } from "drizzle-orm";
import { adminCtx, userContext } from "../helpers";

afterAll(() => closeDb());

const anonymous: ServiceContext = { actor: null, requestId: "test" };
const run = randomBytes(4).toString("hex");
// Every API of this file carries this tag, so that lists can be narrowed to them on a shared database.
const TAG = `cat${run}`;
const BACKEND = "http://127.0.0.1:9/backend";

const DOC = {
  openapi: "3.0.3",
  info: { title: "Catalog test", version: "1.0.0" },
  servers: [{ url: "https://internal-backend.example/v1" }],
  paths: { "/items": { get: { summary: "List items", responses: { "200": { description: "ok" } } } } },
};

let publisher: ServiceContext;
let otherPublisher: ServiceContext;
let subscriber: ServiceContext;
const ids: Record<string, string> = {};

async function api(key: string, extra: Record<string, unknown> = {}, actions: string[] = []) {
  const created = await createApi(
    {
      name: `${key} ${run}`,
      version: "v1",
      context: `/cat-${run}-${key.toLowerCase()}`,
      description: `The ${key.toLowerCase()} API of run ${run}.`,
      tags: [TAG, `kind-${key.toLowerCase()}`],
      definition: JSON.stringify(DOC),
      endpoints: { production: BACKEND, sandbox: null, overrides: {} },
      allowedTiers: ["Gold", "Bronze"],
      ...extra,
    } as never,
    publisher,
  );
  for (const action of actions) await changeLifecycle(created.id, { action } as never, publisher);
  ids[key] = created.id;
  return created;
}

const names = (items: Array<{ name: string }>) => items.map((i) => i.name.split(" ")[0]).sort();

beforeAll(async () => {
  await ensureDefaults();
  publisher = await userContext(["publisher"], "cat-pub");
  otherPublisher = await userContext(["publisher"], "cat-pub2");
  subscriber = await userContext(["subscriber"], "cat-sub");
  await api("Published", {}, ["publish"]);
  await api("Deprecated", {}, ["publish", "deprecate"]);
  await api("Prototyped", {}, ["prototype"]);
  await api("Created");
  await api("Retired", {}, ["publish", "deprecate", "retire"]);
  await api("Blocked", {}, ["publish", "block"]);
  await api("Restricted", { visibility: "roles", visibleRoles: ["publisher"] }, ["publish"]);
}, 120_000);

describe("catalog visibility", () => {
  it("shows anonymous visitors and subscribers the public published and deprecated APIs only", async () => {
    for (const ctx of [anonymous, subscriber]) {
      const page = await listCatalog({ tag: TAG }, ctx);
      expect(names(page.items)).toEqual(["Deprecated", "Published"]);
      expect(page.total).toBe(2);
    }
  });

  it("adds prototypes and role-restricted APIs for publishers and admins, never created, blocked or retired ones", async () => {
    for (const ctx of [otherPublisher, adminCtx]) {
      expect(names((await listCatalog({ tag: TAG }, ctx)).items)).toEqual(["Deprecated", "Prototyped", "Published", "Restricted"]);
    }
  });

  it("answers not found for an API the caller may not see, whatever the reason", async () => {
    for (const key of ["Created", "Retired", "Blocked", "Prototyped", "Restricted"]) {
      await expect(getCatalogApi(ids[key], subscriber)).rejects.toMatchObject({ code: "not_found" });
    }
    await expect(getCatalogApi(ids.Published, anonymous)).resolves.toMatchObject({ id: ids.Published, subscribable: true });
    await expect(getCatalogApi(ids.Deprecated, anonymous)).resolves.toMatchObject({ lifecycleState: "DEPRECATED", subscribable: false });
    await expect(getCatalogApi(ids.Restricted, otherPublisher)).resolves.toMatchObject({ id: ids.Restricted });
  });
});

describe("catalog search, filters and pages", () => {
  it("finds APIs by word prefixes of name, description and tag", async () => {
    expect(names((await listCatalog({ q: `publ ${run}`, tag: TAG }, subscriber)).items)).toEqual(["Published"]);
    expect(names((await listCatalog({ q: "deprecated api", tag: TAG }, subscriber)).items)).toEqual(["Deprecated"]);
    expect(names((await listCatalog({ q: "kind-depr" }, subscriber)).items)).toEqual(expect.arrayContaining(["Deprecated"]));
    expect((await listCatalog({ q: TAG.toUpperCase() }, anonymous)).total).toBe(2);
    expect((await listCatalog({ q: `nomatch${run}` }, anonymous)).items).toEqual([]);
  });

  it("finds a name with a word the text parser splits (a number with an exponent, then letters)", async () => {
    const tag = `sci${run}`;
    await api("Scientific", { tags: [tag], context: `/cat-${run}-sci` }, ["publish"]);
    expect(names((await listCatalog({ q: "1e5beta", tag }, anonymous)).items)).toEqual([]);
    await api("Exponent", { name: `Exponent 1e5beta${run}`, tags: [tag], context: `/cat-${run}-exp` }, ["publish"]);
    expect(names((await listCatalog({ q: `1e5beta${run}`, tag }, anonymous)).items)).toEqual(["Exponent"]);
    expect(names((await listCatalog({ q: "1e5bet", tag }, anonymous)).items)).toEqual(["Exponent"]);
  });

  it("filters by tag and pages through the results", async () => {
    expect(names((await listCatalog({ tag: "kind-published", q: run }, anonymous)).items)).toEqual(["Published"]);
    const first = await listCatalog({ tag: TAG, pageSize: 1, page: 1 }, anonymous);
    const second = await listCatalog({ tag: TAG, pageSize: 1, page: 2 }, anonymous);
    expect(first.total).toBe(2);
    expect([...names(first.items), ...names(second.items)]).toEqual(["Deprecated", "Published"]);
  });

  it("filters by gateway environment and shows the gateway URL of each environment with its region", async () => {
    const revision = await createRevision(ids.Published, { description: "r1" }, publisher);
    await deployRevision(ids.Published, { revisionId: revision.id, environments: ["default"] }, publisher);
    expect(names((await listCatalog({ tag: TAG, environment: "default" }, anonymous)).items)).toEqual(["Published"]);
    expect((await listCatalog({ tag: TAG, environment: `nowhere-${run}` }, anonymous)).items).toEqual([]);
    expect((await listCatalogEnvironments(anonymous)).map((e) => e.name)).toContain("default");

    const db = await getDb();
    const [env] = await db.select().from(environments).where(eq(environments.name, "default"));
    const detail = await getCatalogApi(ids.Published, anonymous);
    expect(detail.gateways).toEqual([
      {
        environment: "default",
        displayName: env.displayName,
        region: env.region,
        type: "builtin",
        urls: env.publicUrls.map((u) => `${u.replace(/\/$/, "")}/cat-${run}-published/v1`),
      },
    ]);
    expect(detail.operations).toEqual([{ method: "GET", path: "/items", summary: "List items", deprecated: false, security: "oauth2" }]);
    expect(detail.tiers.map((t) => t.name)).toEqual(["Gold", "Bronze"]);
    expect(detail.tiers[0].summary).toMatch(/requests per/);
  });

  it("hides environments limited to other roles", async () => {
    const db = await getDb();
    const [env] = await db.select().from(environments).where(eq(environments.name, "default"));
    await db
      .update(environments)
      .set({ visibleRoles: ["publisher"] })
      .where(eq(environments.id, env.id));
    try {
      expect((await getCatalogApi(ids.Published, subscriber)).gateways).toEqual([]);
      expect((await listCatalog({ tag: TAG, environment: "default" }, subscriber)).items).toEqual([]);
      expect((await getCatalogApi(ids.Published, otherPublisher)).gateways).toHaveLength(1);
    } finally {
      await db.update(environments).set({ visibleRoles: [] }).where(eq(environments.id, env.id));
    }
  });

  it("downloads the definition with the gateway URLs as servers, never the backend's", async () => {
    const { document, fileName } = await getCatalogDefinition(ids.Published, anonymous);
    expect(fileName).toMatch(/\.openapi\.json$/);
    expect((document.servers as Array<{ url: string }>).map((s) => s.url)).toEqual(
      (await getCatalogApi(ids.Published, anonymous)).gateways[0].urls,
    );
    expect(JSON.stringify(document)).not.toContain("internal-backend.example");
    // Deployed nowhere: no servers at all rather than the backend's.
    expect((await getCatalogDefinition(ids.Deprecated, anonymous)).document.servers).toBeUndefined();
  });

  it("renders markdown documents sanitized", async () => {
    await createDocument(
      ids.Published,
      {
        title: "Getting started",
        kind: "how-to",
        sourceType: "markdown",
        content: "# Hello\n\n[x](javascript:alert(1))\n\n<script>alert(1)</script>",
      },
      publisher,
    );
    const [doc] = await listCatalogDocuments(ids.Published, anonymous);
    expect(doc.html).toContain("<h1");
    expect(doc.html).not.toMatch(/<script|href="javascript:/);
    await expect(listCatalogDocuments(ids.Created, anonymous)).rejects.toMatchObject({ code: "not_found" });
  });
});
