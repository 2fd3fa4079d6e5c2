import { getDescriptor } from "@/lib/connectors/registry";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { decryptConfig } from "@/lib/services/environments/config-secrets";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { recordHeartbeat } from "@/lib/services/gateways/record-heartbeat";
import { authenticateGateway, verifyGatewayToken } from "@/lib/services/gateways/verify-gateway-token";
import { createToken } from "@/lib/services/tokens/create-token";
import { expect, SAME_ORIGIN, seedCtx, test, unique } from "../fixtures";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/** The decrypted config as the server stored it: what a connector would receive. */
async function storedConfig(name: string) {
  const row = await getEnvironmentRowOrThrow(name);
  return decryptConfig(getDescriptor(row.type), row.config);
}

test.describe("gateway environments", () => {
  test("an admin registers an AWS environment, sees its secret masked, edits the region without retyping it, and gets a clear connection failure", async ({
    asAdmin: { page },
  }) => {
    const name = unique("aws").toLowerCase();
    await page.goto("/admin/environments");
    await page.getByRole("link", { name: "New environment" }).first().click();
    await expect(page.getByRole("heading", { name: "New environment" })).toBeVisible();

    // Bad input first: the errors show on their fields and nothing is saved.
    await page.getByLabel("Name", { exact: true }).fill("Not A Slug");
    await page.getByLabel("Type").selectOption({ label: "AWS API Gateway" });
    await page.getByLabel("AWS Region").fill("eu-west-1");
    await page.getByLabel("Access key id").fill("AKIAIOSFODNN7EXAMPLE");
    await page.getByRole("button", { name: "Create environment" }).click();
    await expect(page.locator("#env-name-error")).toContainText("lowercase letters");
    await expect(page.locator("#config-secretAccessKey-error")).toHaveText("Enter the secret access key that goes with the access key id.");

    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Display name").fill("AWS Europe");
    await page.getByLabel("Mode").selectOption("read-write");
    await page.getByLabel("Secret access key").fill(SECRET);
    await page.getByLabel("Endpoint override").fill("http://127.0.0.1:9");
    await page.getByRole("button", { name: "Create environment" }).click();

    await expect(page).toHaveURL(new RegExp(`/admin/environments/${name}$`));
    await expect(page.getByRole("heading", { name: "AWS Europe" })).toBeVisible();
    // Masked in the page (the input is empty, a placeholder says a value is stored) and in the API.
    const secretInput = page.getByRole("textbox", { name: /^Secret access key/ });
    await expect(secretInput).toHaveValue("");
    await expect(secretInput).toHaveAttribute("placeholder", "•••••• (stored)");
    expect(await page.content()).not.toContain(SECRET);
    const read = await page.request.get(`/api/v1/environments/${name}`);
    expect(read.status()).toBe(200);
    const body = await read.json();
    expect(body.config.secretAccessKey).toBe("••••••");
    expect(body.secrets.secretAccessKey).toEqual({ set: true });
    expect(JSON.stringify(body)).not.toContain(SECRET);

    // Edit the region only: the secret stays as it was.
    await page.getByLabel("AWS Region").fill("eu-central-1");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText(`Environment ${name} saved`)).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("AWS Region")).toHaveValue("eu-central-1");
    expect(await storedConfig(name)).toMatchObject({
      region: "eu-central-1",
      secretAccessKey: SECRET,
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    });

    // The connection test fails fast, says why, and points at the endpoint field.
    await page.getByRole("button", { name: "Test connection" }).click();
    const result = page.getByTestId("connection-test-result");
    await expect(result).toContainText("Connection failed");
    await expect(result).toContainText("Could not reach the endpoint http://127.0.0.1:9: the connection was refused.");
    await expect(page.locator("#config-endpoint-error")).toHaveText(
      "Could not reach the endpoint http://127.0.0.1:9: the connection was refused.",
    );
    await page.goto("/admin/environments");
    await expect(page.getByTestId(`environment-row-${name}`)).toContainText("down");
  });

  test("an admin creates named gateway tokens, each shown once and listed with the instances using it, and revokes one alone", async ({
    asAdmin: { page },
  }) => {
    const name = unique("gw").toLowerCase();
    const env = await createEnvironment({ name, type: "builtin", publicUrls: ["http://localhost:8280"] }, seedCtx);
    page.on("dialog", (d) => d.accept());
    await page.goto(`/admin/environments/${name}`);
    await expect(page.getByText("No instance has reported yet")).toBeVisible();
    await expect(page.getByText("No gateway token yet")).toBeVisible();

    // A name is required and unique in the environment.
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.locator("#gateway-token-name-error")).toBeVisible();

    await page.getByLabel("Token name").fill("eu-west edge");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByText('Gateway token "eu-west edge" created')).toBeVisible();
    const first = (await page.getByTestId("gateway-token").textContent())!.trim();
    expect(first).toMatch(/^mgw_/);
    const firstAuth = await authenticateGateway(first);
    expect(firstAuth.environment.name).toBe(name);

    await page.getByLabel("Token name").fill("us-east edge");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByText('Gateway token "us-east edge" created')).toBeVisible();
    const second = (await page.getByTestId("gateway-token").textContent())!.trim();
    expect(second).not.toBe(first);
    const secondAuth = await authenticateGateway(second);

    await page.getByLabel("Token name").fill("eu-west edge");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByText('already has a gateway token named "eu-west edge"').first()).toBeVisible();

    await recordHeartbeat(env.id, { instanceId: "edge-1", region: "eu-west", appliedVersion: 0 }, firstAuth.tokenId);
    await recordHeartbeat(env.id, { instanceId: "edge-2", region: "us-east", appliedVersion: 0 }, secondAuth.tokenId);
    await page.reload();
    // Shown once: never again after a reload.
    await expect(page.getByTestId("gateway-token")).toHaveCount(0);
    const tokens = page.getByRole("table", { name: "Gateway tokens" });
    const firstRow = tokens.getByRole("row", { name: /eu-west edge/ });
    await expect(firstRow).toContainText(`${first.slice(0, 10)}…`);
    await expect(firstRow).toContainText("edge-1");
    await expect(tokens.getByRole("row", { name: /us-east edge/ })).toContainText("edge-2");
    const instances = page.getByRole("table", { name: "Gateway instances" });
    await expect(instances.getByRole("row", { name: /edge-1/ })).toContainText("healthy");
    await expect(instances.getByRole("row", { name: /edge-1/ })).toContainText("current");
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("connection-test-result")).toContainText("2 healthy instances of 2");

    await page.getByRole("button", { name: "Revoke token eu-west edge" }).click();
    await expect(page.getByText('Gateway token "eu-west edge" revoked')).toBeVisible();
    await expect(tokens.getByRole("row", { name: /eu-west edge/ })).toHaveCount(0);
    await expect(tokens.getByRole("row", { name: /us-east edge/ })).toBeVisible();
    // The web server that revoked it refuses it at once; the other token still syncs.
    const snapshot = (token: string) => page.request.get("/api/gateway/v1/snapshot", { headers: { authorization: `Bearer ${token}` } });
    expect((await snapshot(first)).status()).toBe(401);
    expect((await snapshot(second)).status()).toBe(200);
    expect((await verifyGatewayToken(second)).id).toBe(env.id);
  });

  test("an admin deletes an environment", async ({ asAdmin: { page } }) => {
    const name = unique("old").toLowerCase();
    await createEnvironment({ name, type: "kong", config: { adminUrl: "http://kong:8001" } }, seedCtx);
    page.on("dialog", (d) => d.accept());
    await page.goto(`/admin/environments/${name}`);
    await page.getByRole("button", { name: "Delete environment" }).click();
    await expect(page).toHaveURL(/\/admin\/environments$/);
    await expect(page.getByTestId(`environment-row-${name}`)).toHaveCount(0);
    expect((await page.request.get(`/api/v1/environments/${name}`)).status()).toBe(404);
    const gone = await page.goto(`/admin/environments/${name}`);
    expect(gone?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });

  test("the default built-in environment exists from the first start", async ({ asAdmin: { page } }) => {
    await page.goto("/admin/environments");
    const row = page.getByTestId("environment-row-default");
    await expect(row).toContainText("Meridian gateway");
    const body = await (await page.request.get("/api/v1/environments/default")).json();
    // The gateway that `npm start` runs for it listens there (8280 unless configured otherwise).
    expect(body).toMatchObject({ type: "builtin", publicUrls: [process.env.E2E_GATEWAY_URL ?? "http://localhost:8280"] });
  });

  test("the REST API manages environments with a personal access token", async ({ asAdmin: { user }, playwright, baseURL }) => {
    const { token } = await createToken({ name: "e2e environments" }, user.ctx);
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    const name = unique("kong").toLowerCase();
    const input = { name, type: "kong", mode: "read-write", config: { adminUrl: "http://127.0.0.1:9", adminToken: "kong-secret-token" } };

    const bad = await api.post("/api/v1/environments", {
      data: { ...input, type: "nginx", mode: "sideways", config: { adminUrl: "kong" } },
    });
    expect(bad.status()).toBe(400);
    expect(bad.headers()["content-type"]).toContain("application/problem+json");
    expect((await bad.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(["mode", "type"]);
    const badConfig = await api.post("/api/v1/environments", { data: { ...input, config: { adminUrl: "kong:8001" } } });
    expect((await badConfig.json()).errors).toEqual([{ path: "config.adminUrl", message: "Enter an http:// or https:// URL." }]);

    const created = await api.post("/api/v1/environments", { data: input });
    expect(created.status()).toBe(201);
    expect(created.headers().location).toBe(`/api/v1/environments/${name}`);
    expect((await created.json()).config).toEqual({ adminUrl: "http://127.0.0.1:9", adminToken: "••••••" });
    const duplicate = await api.post("/api/v1/environments", { data: input });
    expect(duplicate.status()).toBe(400);
    expect((await duplicate.json()).errors[0].path).toBe("name");

    const patched = await api.patch(`/api/v1/environments/${name}`, {
      data: { description: "Edge", config: { workspace: "payments", adminToken: "" } },
    });
    expect(patched.status()).toBe(200);
    expect(await patched.json()).toMatchObject({ description: "Edge", config: { workspace: "payments", adminToken: "••••••" } });
    expect((await storedConfig(name)).adminToken).toBe("kong-secret-token");

    const tested = await api.post(`/api/v1/environments/${name}/test`);
    expect(tested.status()).toBe(200);
    expect(await tested.json()).toMatchObject({
      ok: false,
      errors: [{ path: "config.adminUrl", message: "Could not reach http://127.0.0.1:9: the connection was refused." }],
    });
    expect((await api.post(`/api/v1/environments/${name}/token`)).status()).toBe(409);
    expect((await (await api.get(`/api/v1/environments/${name}/instances`)).json()).items).toEqual([]);

    const gw = unique("gw").toLowerCase();
    expect((await api.post("/api/v1/environments", { data: { name: gw, type: "agent" } })).status()).toBe(201);
    const issued = await api.post(`/api/v1/environments/${gw}/token`);
    expect(issued.status()).toBe(201);
    expect((await verifyGatewayToken((await issued.json()).token)).name).toBe(gw);
    expect((await api.delete(`/api/v1/environments/${gw}/token`)).status()).toBe(204);

    // Named tokens: issued beside each other, listed without their secrets, revoked one at a time.
    const edge = await api.post(`/api/v1/environments/${gw}/tokens`, { data: { name: "edge a" } });
    expect(edge.status()).toBe(201);
    const edgeToken = await edge.json();
    expect(edgeToken).toMatchObject({ id: expect.stringMatching(/^gwt_/), name: "edge a", token: expect.stringMatching(/^mgw_/) });
    const other = await (await api.post(`/api/v1/environments/${gw}/tokens`, { data: { name: "edge b" } })).json();
    expect((await api.post(`/api/v1/environments/${gw}/tokens`, { data: { name: "edge a" } })).status()).toBe(409);
    expect((await api.post(`/api/v1/environments/${gw}/tokens`, { data: {} })).status()).toBe(400);
    const listed = await api.get(`/api/v1/environments/${gw}/tokens`);
    expect((await listed.json()).items.map((t: { name: string }) => t.name)).toEqual(["edge a", "edge b"]);
    expect(await listed.text()).not.toContain(edgeToken.token);
    expect((await api.delete(`/api/v1/environments/${gw}/tokens/${edgeToken.id}`)).status()).toBe(204);
    expect((await api.delete(`/api/v1/environments/${gw}/tokens/${edgeToken.id}`)).status()).toBe(404);
    await expect(verifyGatewayToken(edgeToken.token)).rejects.toMatchObject({ code: "invalid_token" });
    expect((await verifyGatewayToken(other.token)).name).toBe(gw);

    expect((await api.delete(`/api/v1/environments/${name}`)).status()).toBe(204);
    expect((await api.get(`/api/v1/environments/${name}`)).status()).toBe(404);
    const spec = await (await api.get("/api/v1/openapi.json")).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/environments/{name}/test",
        "/api/v1/environments/{name}/token",
        "/api/v1/environments/{name}/tokens",
        "/api/v1/environments/{name}/tokens/{id}",
        "/api/v1/environments/{name}/instances",
        "/api/v1/tiers/{name}",
      ]),
    );
    expect(spec.components.schemas.AwsConfig.properties.secretAccessKey.writeOnly).toBe(true);
    await api.dispose();
  });

  test("a publisher is refused on the admin pages and on the admin API", async ({ asPublisher: { page } }) => {
    for (const path of ["/admin/environments", "/admin/environments/new", "/admin/environments/default", "/admin/tiers"]) {
      expect((await page.goto(path))?.status(), path).toBe(403);
    }
    const refused: Array<[string, string, unknown?]> = [
      ["POST", "/api/v1/environments", { name: unique("pub").toLowerCase(), type: "builtin" }],
      ["PATCH", "/api/v1/environments/default", { displayName: "Hijacked" }],
      ["DELETE", "/api/v1/environments/default"],
      ["POST", "/api/v1/environments/default/test"],
      ["POST", "/api/v1/environments/default/token"],
      ["POST", "/api/v1/tiers", { name: unique("Pub").replace(/-/g, ""), requests: 1, unit: "second" }],
      ["PATCH", "/api/v1/tiers/Gold", { requests: 1 }],
      ["DELETE", "/api/v1/tiers/Gold"],
    ];
    for (const [method, url, data] of refused) {
      const res = await page.request.fetch(url, { method, data, headers: SAME_ORIGIN });
      expect(res.status(), `${method} ${url}`).toBe(403);
      expect((await res.json()).code).toBe("forbidden");
    }
    // Reading environments is allowed (publishers pick deployment targets), without any config.
    const list = await (await page.request.get("/api/v1/environments")).json();
    expect(list.items.find((e: { name: string }) => e.name === "default")).toBeTruthy();
    expect(list.items.every((e: Record<string, unknown>) => !("config" in e) && !("gatewayToken" in e))).toBe(true);
  });
});
