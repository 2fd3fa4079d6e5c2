import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbeddedServer, type EmbeddedServer } from "@/lib/db/embedded";

// The embedded server must keep concurrent clients' protocol exchanges and transactions apart.
describe("embedded database server", () => {
  let dir: string;
  let server: EmbeddedServer;
  const clients: postgres.Sql[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-embedded-"));
    server = await openEmbeddedServer(dir);
    for (let i = 0; i < 3; i++) clients.push(postgres(server.url, { max: 6, prepare: false, onnotice: () => {} }));
    await clients[0]`create table items (id serial primary key, owner int not null, v text not null)`;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await server.stop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is owned by the first process, and a second open finds it", async () => {
    expect(server.stop).toBeDefined();
    const again = await openEmbeddedServer(dir);
    expect(again.stop).toBeUndefined();
    expect(again.url).toBe(server.url);
  });

  it("answers many concurrent parameterized queries from several clients correctly", async () => {
    const work = Array.from({ length: 300 }, (_, i) => {
      const sql = clients[i % clients.length];
      return i % 3 === 0
        ? sql`select ${i}::int as n, ${"text-" + i} as t`.then((r) => expect(r[0]).toEqual({ n: i, t: `text-${i}` }))
        : sql`insert into items (owner, v) values (${i % 3}, ${"v" + i}) returning v`.then((r) => expect(r[0].v).toBe(`v${i}`));
    });
    await Promise.all(work);
    const [{ count }] = await clients[0]`select count(*)::int as count from items`;
    expect(count).toBe(200);
  });

  it("keeps transactions whole: a rollback undoes only its own writes", async () => {
    const before = (await clients[0]`select count(*)::int as c from items`)[0].c;
    const results = await Promise.allSettled([
      clients[0].begin(async (tx) => {
        await tx`insert into items (owner, v) values (10, 'a')`;
        await new Promise((r) => setTimeout(r, 50));
        await tx`insert into items (owner, v) values (10, 'b')`;
      }),
      clients[1].begin(async (tx) => {
        await tx`insert into items (owner, v) values (11, 'c')`;
        throw new Error("roll back");
      }),
      ...Array.from({ length: 20 }, (_, i) => clients[2]`insert into items (owner, v) values (12, ${"d" + i})`),
    ]);
    expect(results[0].status).toBe("fulfilled");
    expect(results[1].status).toBe("rejected");
    const rows = await clients[0]`select owner, count(*)::int as c from items where owner >= 10 group by owner order by owner`;
    expect(rows.map((r) => [r.owner, r.c])).toEqual([
      [10, 2],
      [12, 20],
    ]);
    expect((await clients[0]`select count(*)::int as c from items`)[0].c).toBe(before + 22);
  });
});
