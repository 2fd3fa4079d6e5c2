import { randomBytes } from "node:crypto";
import { and, inArray, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { apis, type NewApiRow } from "@/lib/db/schema";
import { listCatalog } from "@/lib/services/catalog/list-catalog";
import { catalogFilter } from "@/lib/services/catalog/visibility";
import { matchesSearch, toPrefixQuery } from "@/lib/services/catalog/search-query";
import type { ServiceContext } from "@/lib/services/context";

/** The catalog with 10,000 APIs: the search goes through its index, and a page stays quick. */

const COUNT = 10_000;
const run = randomBytes(4).toString("hex");
const WORDS = ["payments", "orders", "pets", "weather", "shipping", "billing", "users", "inventory", "search", "maps"];
const anonymous: ServiceContext = { actor: null, requestId: "test" };
const definition = {
  openapi: "3.0.3",
  info: { title: "scale", version: "1" },
  paths: { "/x": { get: { responses: { "200": { description: "ok" } } } } },
};

function row(i: number): NewApiRow {
  const word = WORDS[i % WORDS.length];
  return {
    id: `api_scale${run}${i}`,
    name: `${word} service ${run} ${i}`,
    description: `The ${word} API number ${i}, built with ${WORDS[(i * 7) % WORDS.length]}.`,
    version: "v1",
    context: `/scale-${run}-${i}`,
    tags: [`scale${run}`, word],
    lifecycleState: i % 5 === 0 ? "CREATED" : i % 7 === 0 ? "DEPRECATED" : "PUBLISHED",
    endpoints: { production: null, sandbox: null, overrides: {} },
    security: { scheme: "oauth2", apiKeyHeader: "apikey" },
    cors: { enabled: false, origins: [], methods: [], headers: [], credentials: false },
    definition,
    definitionSource: JSON.stringify(definition),
    definitionFormat: "json",
    sourceSpec: "openapi-3.0",
    operations: [],
    operationCount: 1,
  };
}

beforeAll(async () => {
  const db = await getDb();
  for (let i = 0; i < COUNT; i += 1000)
    await db.insert(apis).values(Array.from({ length: Math.min(1000, COUNT - i) }, (_, k) => row(i + k)));
  await db.execute(sql`analyze apis`);
}, 240_000);

afterAll(async () => {
  const db = await getDb();
  await db.delete(apis).where(like(apis.id, `api_scale${run}%`));
  await closeDb();
}, 120_000);

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  await fn();
  const started = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - started };
}

describe("catalog at 10,000 APIs", () => {
  it("answers a search from the GIN index", async () => {
    const db = await getDb();
    const query = toPrefixQuery(`ship ${run}`)!;
    const plan = await db.execute(sql`explain select ${apis.id} from ${apis} where ${and(catalogFilter(null), matchesSearch(query))}`);
    const text = JSON.stringify(plan);
    expect(text).toContain("apis_search_idx");
    const tagPlan = JSON.stringify(
      await db.execute(sql`explain select ${apis.id} from ${apis} where ${apis.tags} @> ${sql`array[${`rare${run}`}]::text[]`}`),
    );
    expect(tagPlan).toContain("apis_tags_idx");
  });

  it("finds the right APIs and counts them, a page at a time", async () => {
    const { result, ms } = await timed(() => listCatalog({ q: `ship ${run}`, pageSize: 24, page: 3 }, anonymous));
    // "shipping" is in the name and tags of every 10th API and in the description of others; created ones are hidden.
    const matches = (i: number) => (WORDS[i % WORDS.length] === "shipping" || WORDS[(i * 7) % WORDS.length] === "shipping") && i % 5 !== 0;
    expect(result.total).toBe(Array.from({ length: COUNT }, (_, i) => i).filter(matches).length);
    expect(result.items).toHaveLength(24);
    expect(result.items.every((a) => matches(Number(a.name.split(" ").at(-1))))).toBe(true);
    console.info(`catalog search over ${COUNT} APIs: ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(2000);
  });

  it("pages through the whole catalog and filters by tag quickly", async () => {
    const all = await timed(() => listCatalog({ tag: `scale${run}`, page: 200, pageSize: 24 }, anonymous));
    expect(all.result.total).toBe(COUNT - COUNT / 5);
    expect(all.result.items).toHaveLength(24);
    const tagged = await listCatalog({ tag: "maps", q: run }, anonymous);
    expect(tagged.items.every((a) => a.tags.includes("maps"))).toBe(true);
    console.info(`catalog page 200 of ${COUNT} APIs: ${all.ms.toFixed(1)} ms`);
    expect(all.ms).toBeLessThan(2000);
  });

  it("never lists the created ones", async () => {
    const db = await getDb();
    const hidden = await listCatalog({ q: `${run} 10`, pageSize: 100 }, anonymous);
    const ids = hidden.items.map((a) => a.id);
    if (ids.length) {
      const states = await db.select({ s: apis.lifecycleState }).from(apis).where(inArray(apis.id, ids));
      expect(states.every((r) => r.s !== "CREATED")).toBe(true);
    }
  });
});
