import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { recordHeartbeat } from "@/lib/services/gateways/record-heartbeat";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { expect, seedCtx, test, unique } from "../fixtures";

test.describe("snapshot propagation", () => {
  test("an admin sees how many instances serve the current version and how fast the last change reached them all", async ({
    asAdmin: { page },
  }) => {
    const name = unique("fleet").toLowerCase();
    await createEnvironment({ name, type: "builtin", publicUrls: ["http://localhost:9"] }, seedCtx);
    const env = await getEnvironmentRowOrThrow(name);
    const db = await getDb();
    await db.transaction((tx) => bumpSnapshotVersions(tx, [env.id]));
    // The change happened ten seconds ago (reported times are never later than the control plane's now).
    await db
      .update(environments)
      .set({ snapshotChangedAt: new Date(Date.now() - 10_000) })
      .where(eq(environments.id, env.id));
    const changed = await getEnvironmentRowOrThrow(name);
    const appliedAt = new Date(changed.snapshotChangedAt!.getTime() + 420);
    await recordHeartbeat(env.id, { instanceId: "gw-eu-1", region: "eu", appliedVersion: changed.snapshotVersion, appliedAt });
    await recordHeartbeat(env.id, { instanceId: "gw-eu-2", region: "eu", appliedVersion: changed.snapshotVersion - 1 });

    await page.goto(`/admin/environments/${name}`);
    await expect(page.getByTestId("propagation-current")).toHaveText(/1 of 2\s*1 behind/);
    await expect(page.getByTestId("propagation-time")).toHaveText("not yet");
    await expect(page.getByRole("list", { name: "Instances by version" })).toContainText(`v${changed.snapshotVersion - 1}: 1 instance`);

    await recordHeartbeat(env.id, {
      instanceId: "gw-eu-2",
      region: "eu",
      appliedVersion: changed.snapshotVersion,
      appliedAt: new Date(changed.snapshotChangedAt!.getTime() + 850),
    });
    await page.reload();
    await expect(page.getByTestId("propagation-current")).toHaveText(/2 of 2\s*all/);
    await expect(page.getByTestId("propagation-time")).toHaveText("in 850 ms");
    await expect(page.getByText(/gzipped, [\d.]+ (B|KB) whole/)).toBeVisible();
  });
});
