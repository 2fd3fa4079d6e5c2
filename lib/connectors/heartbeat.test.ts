import { describe, expect, it } from "vitest";
import { heartbeatTest } from "./heartbeat";

const now = new Date("2026-01-01T12:00:00Z");
const ctx = (lastSeenAt: Date | null, healthyInstances = 0, totalInstances = 0) => ({
  signal: new AbortController().signal,
  now,
  heartbeat: { lastSeenAt, healthyInstances, totalInstances },
});

describe("pull gateway connection test", () => {
  it("reports the last heartbeat instead of calling out", () => {
    expect(heartbeatTest("gateway", ctx(null))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/No gateway instance has sent a heartbeat yet/),
    });
    expect(heartbeatTest("gateway", ctx(new Date(now.getTime() - 5_000), 2, 3))).toEqual({
      ok: true,
      message: "2 healthy instances of 3; last heartbeat 5 s ago.",
    });
    expect(heartbeatTest("agent", ctx(new Date(now.getTime() - 10 * 60_000), 0, 1))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/last heartbeat came 10 min ago/),
    });
  });
});
