import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import { API_KEY, sha256, testSnapshot } from "@/gateway/tests/support/harness";
import { TestKeys } from "@/gateway/tests/support/keys";
import { CompileError } from "../kit/types";
import { compileHaproxy, haproxyRefusals, templateRegex, word, type HaproxyCompiled } from "./compile";
import { haproxyBinary } from "./haproxy-process";

let keys: TestKeys;
beforeAll(async () => {
  keys = await TestKeys.create("key-1");
});

/** The shared test snapshot without what HAProxy refuses (operation limits, monthly quotas). */
function enforceable(overrides: Partial<Snapshot> = {}): Snapshot {
  const s = testSnapshot("http://127.0.0.1:9", keys, "1", overrides);
  return {
    ...s,
    apis: s.apis.map((a) => ({ ...a, operations: a.operations.filter((o) => !o.rateLimit) })),
    tiers: s.tiers.map((t) => ({ ...t, monthlyQuota: null })),
    ...overrides,
  };
}

const options = { bind: { host: "127.0.0.1", port: 18_000 }, adminSocket: "/run/meridian/admin.sock", logTarget: "127.0.0.1:5514" };

/** The section of `cfg` whose header line starts with `header`, up to the next blank line. */
function section(cfg: string, header: string): string {
  const start = cfg.indexOf(`\n${header}`);
  if (start < 0) throw new Error(`no section ${header}`);
  const end = cfg.indexOf("\n\n", start + 1);
  return cfg.slice(start + 1, end < 0 ? undefined : end);
}

/** `haproxy -c` on the files, written to a fresh directory. */
function haproxyCheck(compiled: HaproxyCompiled): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-haproxy-compile-"));
  for (const [name, content] of Object.entries(compiled.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  try {
    return execFileSync(haproxyBinary(), ["-c", "-q", "-f", path.join(dir, "haproxy.cfg")], { encoding: "utf8", stdio: "pipe" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("snapshot → HAProxy configuration", () => {
  const cases: Array<{ name: string; snapshot: () => Snapshot; expect: (c: HaproxyCompiled) => void }> = [
    {
      name: "routes every API at its versioned base path, and the default version at its context",
      snapshot: () => enforceable(),
      expect: (c) => {
        const cfg = c.files["haproxy.cfg"];
        expect(cfg).toContain(
          "set-var(txn.apix) int(0) if !{ var(txn.apix) -m found } { path,concat(/) -m beg /pets/v1/ } { path,bytes(8),set-var(txn.rest) -m found } { str(api_pets),set-var(txn.api) -m found }",
        );
        expect(cfg).toContain("{ path,concat(/) -m beg /pets/ }");
        // Versioned base paths come before default versions.
        expect(cfg.indexOf("-m beg /tight/v1/")).toBeLessThan(cfg.indexOf("-m beg /pets/ }"));
        // Each API has two backends: one for requests that passed on the connection's token (or
        // need no credentials), one that checks credentials first; the frontend ends by choosing.
        expect(cfg).toContain("backend api_0 from api_fast");
        expect(cfg).toContain("backend api_0_auth from api_auth");
        expect(cfg).toContain("  use_backend api_%[var(txn.apix)] if { var(txn.cred) -m found } or !{ var(txn.sec) -m int 1 2 3 }");
        // Token checks are only in the backends that check credentials.
        const fast = section(cfg, "defaults api_fast");
        const auth = section(cfg, "defaults api_auth");
        expect(fast).not.toContain("jwt_verify");
        expect(auth).toContain("jwt_verify");
        expect(section(cfg, "frontend meridian")).not.toContain("jwt_verify");
        // Both check subscriptions.
        for (const rules of [fast, auth]) expect(rules).toContain('"code":"subscription_required"');
        // A sandbox key reaches the sandbox upstream only (weight 0: no fallback to production).
        const api0 = section(cfg, "backend api_0 from");
        expect(api0).toContain("  use-server sandbox if { var(txn.keytype) -m str sandbox }");
        expect(api0).toMatch(/server sandbox \S+ init-addr last,libc,none weight 0/);
        expect(section(cfg, "backend api_1 from")).not.toContain("sandbox");
        expect(c.operations.api_pets).toContain("GET /{id}");
      },
    },
    {
      name: "matches a base path with characters of regular expressions by an escaped expression",
      snapshot: () => {
        const s = enforceable();
        s.apis[1] = { ...s.apis[1], context: "/t(ight)+" };
        return s;
      },
      expect: (c) => {
        expect(c.files["haproxy.cfg"]).toContain("{ path_reg ^/t\\x28ight\\x29\\x2b/v1(/|$) }");
        expect(c.files["haproxy.cfg"]).toContain("{ path,bytes(11),set-var(txn.rest) -m found }");
      },
    },
    {
      name: "writes each JWKS key as a PEM file checked by jwt_verify with its alg",
      snapshot: () => enforceable(),
      expect: (c) => {
        expect(c.files["keys/key-0.pem"]).toMatch(/^-----BEGIN PUBLIC KEY-----/);
        expect(c.files["haproxy.cfg"]).toContain("jwt_verify(ES256,keys/key-0.pem)");
        expect(c.files["haproxy.cfg"]).toContain("{ var(txn.kid) -m str key-1 }");
        expect(c.files["haproxy.cfg"]).toContain("!{ var(txn.iss) -m str http://cp.test }");
      },
    },
    {
      name: "caches verified tokens by SHA-256 with their exp, revocations checked first",
      snapshot: () => enforceable({ revokedTokenIds: [{ jti: "jti-9", expiresAt: "2099-01-01T00:00:00Z" }] }),
      expect: (c) => {
        const cfg = c.files["haproxy.cfg"];
        expect(cfg).toContain("track-sc1 var(txn.bearer),sha2(256) table st_jwt");
        expect(cfg).toContain("sc-set-gpt0(1) var(txn.exp)");
        expect(cfg.indexOf("token_revoked")).toBeLessThan(cfg.indexOf("track-sc1"));
        expect(c.maps.revoked).toBe("jti-9 1\n");
        // A connection's remembered token: the whole token compared, before its exp, its jti not revoked.
        expect(cfg).toContain(
          "set-var(txn.cred) int(1) if { var(txn.sec) -m int 1 3 } { req.fhdr(authorization,1),strcmp(sess.bearer) eq 0 } { date,neg,add(sess.exp) gt 0 } !{ var(sess.jti),map(maps/revoked.map) -m found }",
        );
        // Written only after every check, the token itself last.
        const lines = cfg.split("\n");
        const remembered = lines.findIndex((l) => l.includes("http-request set-var(sess.bearer)"));
        expect(remembered).toBeGreaterThan(lines.findIndex((l) => l.includes("lacks sub, jti or a valid keytype")));
        expect(lines.slice(remembered + 1).some((l) => l.includes("set-var(sess."))).toBe(false);
        expect(remembered).toBeGreaterThan(0);
        expect(lines.findIndex((l) => l.includes("unset-var(sess.bearer)"))).toBeLessThan(
          lines.findIndex((l) => l.includes("set-var(sess.exp)")),
        );
      },
    },
    {
      name: "maps subscriptions to tier indexes and statuses",
      snapshot: () => enforceable(),
      expect: (c) => {
        expect(c.maps.subscriptions.split("\n")).toEqual(
          expect.arrayContaining(["app_1|api_pets t0", "app_1|api_tight t1", "app_blocked|api_pets blocked"]),
        );
      },
    },
    {
      name: "maps API key hashes to application and key type, leaving expired keys out",
      snapshot: () => enforceable(),
      expect: (c) => {
        expect(c.maps.apiKeys).toContain(`${sha256(API_KEY)} app_1|production`);
        expect(c.maps.apiKeys).not.toContain(sha256("mrd_expired"));
      },
    },
    {
      name: "counts tiers per application × API in the table of their unit, 429 with Retry-After",
      snapshot: () => enforceable(),
      expect: (c) => {
        const cfg = c.files["haproxy.cfg"];
        expect(cfg).toContain("track-sc0 var(txn.subkey) table st_rate_minute if { var(txn.sub) -m str t1 }");
        expect(cfg).toContain("{ sc0_http_req_rate(st_rate_minute) gt 2 }");
        expect(cfg).toMatch(/return status 429 .* hdr retry-after 60/);
        expect(c.notes.join(" ")).toContain("Tier Gold");
      },
    },
    {
      name: "limits an API as a whole when it has a rate limit",
      snapshot: () => {
        const s = enforceable();
        s.apis[1] = { ...s.apis[1], rateLimit: { requests: 5, unit: "second", burst: 5 } };
        return s;
      },
      expect: (c) => {
        expect(c.files["haproxy.cfg"]).toContain("track-sc2 str(api:api_tight) table st_rate_second");
        expect(c.files["haproxy.cfg"]).toContain("sc2_http_req_rate(st_rate_second) gt 5");
      },
    },
    {
      name: "answers CORS preflights before authentication, for the listed origins",
      snapshot: () => enforceable(),
      expect: (c) => {
        const cfg = c.files["haproxy.cfg"];
        expect(cfg).toContain("{ req.hdr(origin) -m str https://app.example.com }");
        expect(cfg.indexOf("return status 204")).toBeLessThan(cfg.indexOf("missing_credentials"));
      },
    },
    {
      name: "answers 503 for a blocked API",
      snapshot: () => {
        const s = enforceable();
        s.apis[1] = { ...s.apis[1], lifecycleState: "BLOCKED" };
        return s;
      },
      expect: (c) => expect(c.files["haproxy.cfg"]).toContain('"code":"api_blocked"'),
    },
    {
      name: "checks operation scopes on tokens",
      snapshot: () => enforceable(),
      expect: (c) => expect(c.files["haproxy.cfg"]).toMatch(/insufficient_scope.*pets:write|pets\\x3awrite/),
    },
    {
      name: "sends the analytics log line to the agent's socket",
      snapshot: () => enforceable(),
      expect: (c) => {
        expect(c.files["haproxy.cfg"]).toContain("log ring@meridian_log len 8192 local0 info");
        expect(c.files["haproxy.cfg"]).toContain("  server agent 127.0.0.1:5514");
        expect(c.files["haproxy.cfg"]).toContain('log-format "meridian1|%Ts|%ms|');
      },
    },
    {
      name: "serves an environment with nothing deployed",
      snapshot: () => enforceable({ apis: [], subscriptions: [], apiKeys: [] }),
      expect: (c) => expect(c.files["haproxy.cfg"]).toContain('"code":"route_not_found"'),
    },
  ];

  it.each(cases)("$name", ({ snapshot, expect: check }) => {
    const compiled = compileHaproxy(snapshot(), { ...options, now: new Date("2026-01-01T00:00:00Z") });
    check(compiled);
    // Every row is a configuration the real HAProxy takes.
    expect(() => haproxyCheck(compiled)).not.toThrow();
  });

  it("splits a refusal with many alternatives over lines HAProxy reads whole (64 words)", () => {
    const s = enforceable();
    s.apis[0] = {
      ...s.apis[0],
      operations: [...s.apis[0].operations, { method: "GET", path: "/scoped", scopes: ["a:1", "b:2", "c:3", "d:4", "e:5"] }],
    };
    const compiled = compileHaproxy(s, options);
    const scopeRules = compiled.files["haproxy.cfg"].split("\n").filter((l) => l.includes("scopes a:1 b:2 c:3 d:4 e:5"));
    expect(scopeRules.length).toBeGreaterThan(1);
    expect(scopeRules.join(" ")).toContain("e\\x3a5");
    expect(() => haproxyCheck(compiled)).not.toThrow();
  });

  it("is deterministic", () => {
    const s = enforceable();
    expect(compileHaproxy(s, options).files).toEqual(compileHaproxy(s, options).files);
  });
});

describe("what HAProxy cannot enforce", () => {
  it("refuses monthly quotas in use and operation rate limits", () => {
    const reasons = haproxyRefusals(testSnapshot("http://127.0.0.1:9", keys));
    expect(reasons.join(" ")).toMatch(/Tier Metered has a monthly quota/);
    expect(reasons.join(" ")).toMatch(/GET \/limited\/op has an operation rate limit/);
    expect(() => compileHaproxy(testSnapshot("http://127.0.0.1:9", keys), options)).toThrow(CompileError);
  });

  it("accepts a monthly quota on a tier nobody is subscribed with", () => {
    const s = enforceable();
    s.tiers.push({ name: "Unused", requests: 1, unit: "day", burst: 1, unlimited: false, monthlyQuota: 10 });
    expect(haproxyRefusals(s)).toEqual([]);
  });
});

describe("path templates", () => {
  it.each([
    ["/", "^/?$", ["/", ""], ["/x"]],
    ["/{id}", "^/[^/]+/?$", ["/1", "/abc/"], ["/", "/a/b"]],
    ["/files/{name}.json", "^/files/[^/]+\\x2ejson/?$", ["/files/a.json"], ["/files/a.jsonx", "/files/a/b.json"]],
    ["/*", "^(/.*)?$", ["/", "/a/b/c", ""], []],
    ["/a/*", "^/a(/.*)?$", ["/a", "/a/b"], ["/ab"]],
  ])("%s → %s", (template, regex, matches, misses) => {
    expect(templateRegex(template)).toBe(regex);
    const re = new RegExp(regex.replace(/\\x([0-9a-f]{2})/g, (_, h) => `\\x${h}`));
    for (const m of matches) expect(re.test(m)).toBe(true);
    for (const m of misses) expect(re.test(m)).toBe(false);
  });

  it("quotes configuration words, refusing what cannot be quoted", () => {
    expect(word("abc")).toBe("abc");
    expect(word('Bearer error="x"')).toBe(`'Bearer error="x"'`);
    expect(() => word("it's")).toThrow(CompileError);
  });
});
