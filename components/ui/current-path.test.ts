import { describe, expect, it } from "vitest";
import { isCurrentPath } from "./current-path";

describe("isCurrentPath", () => {
  it.each([
    ["/publisher/apis", "/publisher/apis", false, true],
    ["/publisher/apis/x/revisions", "/publisher/apis", false, true],
    ["/publisher/apis-archive", "/publisher/apis", false, false],
    ["/publisher/apis/x", "/publisher/apis", true, false],
    ["/apis/x", "/apis/x", true, true],
  ])("%s under %s (exact %s) → %s", (pathname, href, exact, expected) => {
    expect(isCurrentPath(pathname, href, exact)).toBe(expected);
  });
});
