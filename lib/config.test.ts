import { describe, expect, it } from "vitest";
import { missingSharedSecrets, sharedSecretsMessage } from "./config";

describe("secrets on a shared database", () => {
  it("are generated on the embedded database, and required explicitly on a PostgreSQL server", () => {
    expect(missingSharedSecrets({}, { session: true })).toEqual([]);
    const pg = { DATABASE_URL: "postgres://db/meridian" };
    expect(missingSharedSecrets(pg, { session: true })).toEqual(["MERIDIAN_SECRET_KEY", "NEXTAUTH_SECRET"]);
    expect(missingSharedSecrets({ ...pg, MERIDIAN_SECRET_KEY: "k".repeat(32), NEXTAUTH_SECRET: " " }, { session: true })).toEqual([
      "NEXTAUTH_SECRET",
    ]);
    // The worker signs no sessions.
    expect(missingSharedSecrets(pg, { session: false })).toEqual(["MERIDIAN_SECRET_KEY"]);
    expect(sharedSecretsMessage(["MERIDIAN_SECRET_KEY"])).toMatch(/must be set explicitly .*refusing to start/);
  });
});
