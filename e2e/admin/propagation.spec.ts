import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { recordHeartbeat } from "@/lib/services/gateways/record-heartbeat";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { expect, seedCtx, test, unique } from "../fixtures";

/**
 * Other tests change tiers and keys, which bump every environment's snapshot version at any
 * moment: the instances here report a version far ahead of any bump (current) or 0 (behind).
 */
const AHEAD = 1_000_000;

test.describe("snapshot propagation", () => {
  test("an admin sees how many instances serve the current version and how fast the last change reached them all", async ({
    asAdmin: { page },
  }) => {
    const name = unique("fleet").toLowerCase();
    await createEnvironment({ name, type: "builtin", publicUrls: ["http://localhost:9"] }, seedCtx);
    const env = await getEnvironmentRowOrThrow(name);
    const db = await getDb();
    // One change at least, so that an instance on version 0 is behind.
    await db.transaction((tx) => bumpSnapshotVersions(tx, [env.id]));
    // The last change happened ten seconds ago (reported times are never later than the control plane's now).
    const changedAt = new Date(Date.now() - 10_000);
    await db.update(environments).set({ snapshotChangedAt: changedAt }).where(eq(environments.id, env.id));
    await recordHeartbeat(env.id, {
      instanceId: "gw-eu-1",
      region: "eu",
      appliedVersion: AHEAD,
      appliedAt: new Date(changedAt.getTime() + 420),
    });
    await recordHeartbeat(env.id, { instanceId: "gw-eu-2", region: "eu", appliedVersion: 0 });

    await page.goto(`/admin/environments/${name}`);
    await expect(page.getByTestId("propagation-current")).toHaveText(/1 of 2\s*1 behind/);
    await expect(page.getByTestId("propagation-time")).toHaveText("not yet");
    await expect(page.getByRole("list", { name: "Instances by version" })).toContainText("v0: 1 instance");

    await recordHeartbeat(env.id, {
      instanceId: "gw-eu-2",
      region: "eu",
      appliedVersion: AHEAD,
      appliedAt: new Date(changedAt.getTime() + 850),
    });
    await page.reload();
    await expect(page.getByTestId("propagation-current")).toHaveText(/2 of 2\s*all/);
    await expect(page.getByTestId("propagation-time")).toHaveText(/^in \d+(\.\d)? (ms|s)$/);
    await expect(page.getByText(/gzipped, [\d.]+ (B|KB) whole/)).toBeVisible();
  });
});
