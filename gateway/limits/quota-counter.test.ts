import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gatewayLog } from "../log";
import { tempDir } from "../tests/support/harness";
import { LocalQuotaStore, SyncedQuotaCounter, type QuotaCounts } from "./quota-counter";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function period(offsetMonths = 0): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offsetMonths, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

describe("LocalQuotaStore", () => {
  it("counts up to the quota and keeps the counts across a restart", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, "quotas", "gw.json");
    const key = `quota:app:api:${period()}`;
    const first = new LocalQuotaStore(file, gatewayLog);
    await first.load();
    expect([first.take(key, 2), first.take(key, 2), first.take(key, 2)].map((r) => r.allowed)).toEqual([true, true, false]);
    await first.close();

    const second = new LocalQuotaStore(file, gatewayLog);
    await second.load();
    expect(second.used(key)).toBe(2);
    expect(second.take(key, 2).allowed).toBe(false);
    expect(second.take(key, 3)).toEqual({ allowed: true, used: 3 });
    await second.close();
  });

  it("forgets past months when loading", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, "q.json");
    fs.writeFileSync(file, JSON.stringify({ [`quota:a:b:${period(-1)}`]: 7, [`quota:a:b:${period()}`]: 5 }));
    const store = new LocalQuotaStore(file, gatewayLog);
    await store.load();
    expect(store.used(`quota:a:b:${period(-1)}`)).toBe(0);
    expect(store.used(`quota:a:b:${period()}`)).toBe(5);
    await store.close();
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ [`quota:a:b:${period()}`]: 5 });
  });

  it("adds the counts of other processes", () => {
    const store = new LocalQuotaStore(null, gatewayLog);
    store.take("k", 10);
    expect(store.merge({ k: 2, other: 1 })).toEqual({ k: 3, other: 1 });
  });
});

describe("SyncedQuotaCounter", () => {
  it("decides from the totals it last heard of plus what it counted since", async () => {
    const primary = new LocalQuotaStore(null, gatewayLog);
    const sent: QuotaCounts[] = [];
    const a = new SyncedQuotaCounter(async (deltas) => (sent.push(deltas), primary.merge(deltas)), 60_000);
    const b = new SyncedQuotaCounter(async (deltas) => primary.merge(deltas), 60_000);
    expect(a.take("k", 3).allowed).toBe(true);
    expect(a.take("k", 3).allowed).toBe(true);
    expect(b.take("k", 3).allowed).toBe(true);
    await a.sync();
    await b.sync();
    await a.sync();
    // Both now know of all three.
    expect(a.used("k")).toBe(3);
    expect(a.take("k", 3).allowed).toBe(false);
    expect(b.take("k", 3).allowed).toBe(false);
    expect(sent[0]).toEqual({ k: 2 });
    await a.close();
    await b.close();
  });

  it("counts again what a failed sync did not deliver", async () => {
    let fail = true;
    const primary = new LocalQuotaStore(null, gatewayLog);
    const counter = new SyncedQuotaCounter(async (deltas) => {
      if (fail) throw new Error("primary busy");
      return primary.merge(deltas);
    }, 60_000);
    counter.take("k", 10);
    await counter.sync();
    expect(counter.used("k")).toBe(1);
    fail = false;
    await counter.close();
    expect(primary.used("k")).toBe(1);
  });
});
