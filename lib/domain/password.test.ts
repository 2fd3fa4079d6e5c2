import { describe, expect, it } from "vitest";
import { emailSchema, passwordWeakness } from "./password";

describe("password policy", () => {
  it.each([
    ["short", /10 characters/],
    ["password123", /too common/],
    ["aaaaaaaaaaaa", /repeat/],
    ["onlyletterss", /Mix letters/],
  ])("refuses %s", (pw, why) => {
    expect(passwordWeakness(pw)).toMatch(why);
  });

  it.each(["correct-horse-42", "Sign-up-password-9", "a long passphrase of words"])("accepts %s", (pw) => {
    expect(passwordWeakness(pw)).toBeNull();
  });
});

describe("email", () => {
  it("normalizes case and accepts a dot-less domain", () => {
    expect(emailSchema.parse(" Admin@Example.COM ")).toBe("admin@example.com");
    expect(emailSchema.parse("admin@localhost")).toBe("admin@localhost");
  });
  it.each(["not-an-email", "a@", "@b.c", "a b@c.d", "a@-b.c"])("refuses %s", (value) => {
    expect(emailSchema.safeParse(value).success).toBe(false);
  });
});
