import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatTime, isoOf } from "./datetime";

describe("date and time format", () => {
  const at = "2026-12-07T03:42:09.500Z";

  it("writes day, short month, year and a 24-hour UTC clock", () => {
    expect(formatDateTime(at)).toBe("7 Dec 2026, 03:42 UTC");
    expect(formatDateTime(at, { seconds: true })).toBe("7 Dec 2026, 03:42:09 UTC");
    expect(formatDate(at)).toBe("7 Dec 2026");
    expect(formatTime(at)).toBe("03:42 UTC");
    expect(formatTime("2026-01-31T23:05:00Z", { seconds: true })).toBe("23:05:00 UTC");
  });

  it("takes dates, ISO strings and epoch milliseconds alike", () => {
    const ms = Date.parse(at);
    expect(formatDateTime(new Date(ms))).toBe(formatDateTime(ms));
    expect(formatDateTime(ms)).toBe(formatDateTime(at));
    expect(isoOf(ms)).toBe("2026-12-07T03:42:09.500Z");
  });

  it("is the same whatever the process's time zone (server and browser render alike)", () => {
    const before = process.env.TZ;
    try {
      process.env.TZ = "Pacific/Kiritimati";
      expect(formatDateTime("2026-12-31T23:30:00Z")).toBe("31 Dec 2026, 23:30 UTC");
    } finally {
      process.env.TZ = before;
    }
  });

  it("writes nothing for an invalid date", () => {
    expect(formatDateTime("not a date")).toBe("");
    expect(isoOf("nope")).toBeUndefined();
  });
});
