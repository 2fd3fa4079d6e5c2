import fs from "node:fs";
import path from "node:path";
import { createApi } from "@/lib/services/apis/create-api";
import { getApi, getApiDefinition } from "@/lib/services/apis/get-api";
import { listApis } from "@/lib/services/apis/list-apis";
import { updateApi } from "@/lib/services/apis/update-api";
import { expect, SAME_ORIGIN, seedUser, signInRequest, test, unique } from "../fixtures";

const FIXTURES = path.resolve("tests/fixtures/openapi");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");
const contextOf = (label: string) => `/${unique(label).toLowerCase()}`;

test.describe("publisher APIs", () => {
  test("imports a document from a file, then edits endpoints and security", async ({ asPublisher: { page, user } }) => {
    const name = unique("Petstore");
    const context = contextOf("pets");
    await page.goto("/publisher/apis");
    await page.getByRole("link", { name: "Create API" }).first().click();
    await expect(page.getByRole("tab", { name: "Import OpenAPI" })).toHaveAttribute("aria-selected", "true");
    await page.getByLabel("OpenAPI file").setInputFiles(path.join(FIXTURES, "petstore-3.0.yaml"));
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Context").fill(context);
    await page.getByRole("button", { name: "Import API" }).click();

    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const apiId = page.url().split("/").pop()!;
    await expect(page.getByText("OpenAPI 3.0 (YAML)")).toBeVisible();

    await page.getByLabel("Production endpoint").fill("https://prod.e2e.example.com");
    await page.getByLabel("Sandbox endpoint").fill("https://sandbox.e2e.example.com");
    await page.getByRole("button", { name: "Add environment override" }).click();
    await page.getByLabel("Environment name of override 1").fill("eu-west");
    await page.getByLabel("Production URL of override 1").fill("https://eu.e2e.example.com");
    await page.getByLabel("API key", { exact: true }).check();
    await page.getByLabel("API key header").fill("X-Api-Key");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Settings saved")).toBeVisible();

    await page.reload();
    await expect(page.getByLabel("Production endpoint")).toHaveValue("https://prod.e2e.example.com");
    await expect(page.getByLabel("API key", { exact: true })).toBeChecked();
    const stored = await getApi(apiId, user.ctx);
    expect(stored.endpoints).toEqual({
      production: "https://prod.e2e.example.com",
      sandbox: "https://sandbox.e2e.example.com",
      overrides: { "eu-west": { production: "https://eu.e2e.example.com", sandbox: null } },
    });
    expect(stored.security).toEqual({ scheme: "apiKey", apiKeyHeader: "X-Api-Key" });

    // Per-operation override on the Operations tab.
    await page.getByRole("link", { name: "Operations" }).click();
    await page.getByRole("button", { name: "Edit policy of DELETE /pets/{petId}" }).click();
    await page.getByRole("form", { name: "Policy of DELETE /pets/{petId}" }).getByRole("combobox").first().selectOption("none");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("Policy of DELETE /pets/{petId} saved")).toBeVisible();
    await expect(page.getByTestId("operation-delete-/pets/{petId}").getByText("None")).toBeVisible();
  });

  test("starts an API from scratch, then makes a new version of it", async ({ asPublisher: { page, user } }) => {
    const name = unique("Scratch");
    const context = contextOf("scratch");
    await page.goto("/publisher/apis/new?tab=scratch");
    await page.getByRole("tab", { name: "Start from scratch" }).click();
    const form = page.getByRole("form", { name: "Create an API from scratch" });
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Context").fill(context);
    await form.getByLabel("Production endpoint").fill("https://scratch.e2e.example.com");
    await form.getByLabel("Path of operation 1").fill("/items");
    await form.getByRole("button", { name: "Add operation" }).click();
    await form.getByLabel("Method of operation 2").selectOption("POST");
    await form.getByLabel("Path of operation 2").fill("/items/{id}");
    await form.getByRole("button", { name: "Create API" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const apiId = page.url().split("/").pop()!;
    await page.getByRole("link", { name: "Operations" }).click();
    await expect(page.getByTestId("operation-post-/items/{id}")).toContainText("postItemsId");

    await page.getByRole("link", { name: "Overview & settings" }).click();
    await page.getByRole("link", { name: "Create a new version" }).click();
    await expect(page).toHaveURL(new RegExp(`from=${apiId}`));
    const version = page.getByRole("form", { name: "Create a new version" });
    await expect(version.getByLabel("API to copy")).toHaveValue(apiId);
    await version.getByLabel("New version").fill("2.0.0");
    await version.getByRole("button", { name: "Create version" }).click();
    await expect(page.getByText("2.0.0", { exact: true })).toBeVisible();
    const copies = await listApis({ q: context }, user.ctx);
    expect(copies.items.map((a) => a.version).sort()).toEqual(["1.0.0", "2.0.0"]);
  });

  test("shows the errors of a broken document at their lines and loses nothing", async ({ asPublisher: { page, user } }) => {
    const api = await createApi(
      { definition: fixture("petstore-3.0.yaml"), name: unique("Editable"), context: contextOf("edit") },
      user.ctx,
    );
    await page.goto(`/publisher/apis/${api.id}/definition`);
    const editor = page.getByTestId("definition-editor").locator(".cm-content");
    await expect(editor).toContainText("openapi: 3.0.3");
    await editor.click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.insertText(fixture("broken.yaml"));
    await page.getByRole("button", { name: "Save definition" }).click();

    const errors = page.getByRole("list", { name: "Validation errors" });
    // The place as a person reads it; the JSON pointer is in its tooltip.
    await expect(errors).toContainText("paths › /things › get › parameters › 0 › schema › type");
    await expect(errors.locator('[title="/paths/~1things/get/parameters/0/schema/type"]').first()).toBeVisible();
    await expect(errors.getByRole("button", { name: "line 13" })).toBeVisible();
    await expect(page.getByText("Unsaved changes")).toBeVisible();
    // What was typed is still there; the stored document did not change.
    await expect(editor).toContainText("type: strin");
    expect((await getApiDefinition(api.id, user.ctx)).source).toBe(fixture("petstore-3.0.yaml"));

    // Fixing the error in place saves.
    await errors.getByRole("button", { name: "line 13" }).click();
    await page.keyboard.press("End");
    await page.keyboard.type("g");
    await page.getByRole("button", { name: "Save definition" }).click();
    await expect(errors).toContainText("missing path parameter");
    expect((await getApiDefinition(api.id, user.ctx)).source).toBe(fixture("petstore-3.0.yaml"));
  });

  test("refuses an upload with an external reference and names it", async ({ asPublisher: { page } }) => {
    await page.goto("/publisher/apis/new");
    await page.getByLabel("OpenAPI file").setInputFiles(path.join(FIXTURES, "external-ref.json"));
    await page.getByLabel("Context").fill(contextOf("ext"));
    await page.getByRole("button", { name: "Import API" }).click();
    await expect(page.getByRole("list", { name: "Validation errors" })).toContainText("./schemas/widget.yaml#/Widget");
    await expect(page).toHaveURL(/\/publisher\/apis\/new/);
  });

  test("creates revisions and compares them", async ({ asPublisher: { page, user } }) => {
    const api = await createApi({ definition: fixture("petstore-3.0.yaml"), name: unique("Revised"), context: contextOf("rev") }, user.ctx);
    await page.goto(`/publisher/apis/${api.id}/revisions`);
    await expect(page.getByText("No revisions yet")).toBeVisible();
    await page.getByLabel("Description").fill("First release");
    await page.getByRole("button", { name: "Create revision" }).click();
    await expect(page.getByTestId("revision-1")).toContainText("First release");

    await updateApi(api.id, { endpoints: { production: "https://v2.e2e.example.com", sandbox: null } }, user.ctx);
    await page.getByLabel("Description").fill("New backend");
    await page.getByRole("button", { name: "Create revision" }).click();
    await expect(page.getByTestId("revision-2")).toContainText("New backend");
    await expect(page.getByTestId("revision-count")).toContainText("2 of 10 revisions kept");

    const compare = page.getByRole("form", { name: "Compare revisions" });
    await compare.getByLabel("From").selectOption({ label: "Revision 1" });
    await compare.getByLabel("To").selectOption({ label: "Revision 2" });
    await compare.getByRole("button", { name: "Compare" }).click();
    const settings = page.getByRole("table", { name: "Settings changes" });
    await expect(settings.getByRole("row", { name: /endpoints\.production/ })).toContainText("https://v2.e2e.example.com");
    await expect(page.getByText("The documents are the same.")).toBeVisible();
  });

  test("publishes without a deployed revision, then deprecates, with the history shown", async ({ asPublisher: { page, user } }) => {
    const api = await createApi({ name: unique("Lifecycle"), version: "1.0", context: contextOf("life") }, user.ctx);
    await page.goto(`/publisher/apis/${api.id}/lifecycle`);
    await expect(page.getByTestId("publish-rule")).toHaveText(/does not require a deployed revision/);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await expect(page.getByText("Publish: now published")).toBeVisible();
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Deprecate", exact: true }).click();
    await expect(page.getByText("Deprecate: now deprecated")).toBeVisible();
    const history = page.getByRole("table", { name: "Lifecycle history" });
    await expect(history.getByRole("row")).toHaveCount(4);
    await expect(history.getByRole("row").nth(1)).toContainText("Published");
    await expect(history.getByRole("row").nth(1)).toContainText("Deprecated");
    await expect(history.getByRole("row").nth(1)).toContainText(user.email);
    await expect(page.getByRole("button", { name: "Retire", exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Publish", exact: true })).toHaveCount(0);
    expect((await getApi(api.id, user.ctx)).lifecycleState).toBe("DEPRECATED");
  });

  test("refuses another publisher on someone else's API, in pages and in the API", async ({ asPublisher: { page } }) => {
    const owner = await seedUser(["publisher"], "owner");
    const api = await createApi({ name: unique("Private"), version: "1", context: contextOf("private") }, owner.ctx);
    // The ownership check runs in the API's layout, above its loading state: a real 404.
    for (const section of ["", "/definition", "/revisions"]) {
      const response = await page.goto(`/publisher/apis/${api.id}${section}`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(page.getByText(api.name)).toHaveCount(0);
    }
    expect((await page.request.get(`/api/v1/apis/${api.id}`)).status()).toBe(404);
    const patch = await page.request.patch(`/api/v1/apis/${api.id}`, { data: { name: "Hijacked" }, headers: SAME_ORIGIN });
    expect(patch.status()).toBe(404);
    expect((await patch.json()).code).toBe("not_found");
    expect(
      (await page.request.post(`/api/v1/apis/${api.id}/lifecycle`, { data: { action: "publish" }, headers: SAME_ORIGIN })).status(),
    ).toBe(404);
    await page.goto(`/publisher/apis?q=${encodeURIComponent(api.name)}`);
    await expect(page.getByText("No API matches this search")).toBeVisible();
    expect((await getApi(api.id, owner.ctx)).name).toBe(api.name);
  });

  test("refuses a subscriber on the publisher's route handlers and pages", async ({ asSubscriber: { page } }) => {
    const response = await page.request.post("/api/v1/apis", {
      data: { name: "Nope", version: "1", context: contextOf("nope") },
      headers: SAME_ORIGIN,
    });
    expect(response.status()).toBe(403);
    expect((await response.json()).code).toBe("forbidden");
    expect((await page.request.get("/api/v1/apis")).status()).toBe(403);
    expect((await page.goto("/publisher/apis"))?.status()).toBe(403);
  });

  test("CI imports through the API with a token: multipart upload, 400 with located errors, 409 naming the holder", async ({
    playwright,
    baseURL,
  }) => {
    const publisher = await seedUser(["publisher"], "ci");
    const context = await playwright.request.newContext({ baseURL });
    await signInRequest(context, publisher.email, publisher.password);
    const tokenResponse = await context.post("/api/v1/tokens", { data: { name: "ci" }, headers: SAME_ORIGIN });
    const { token } = await tokenResponse.json();
    await context.dispose();
    const ci = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    const apiContext = contextOf("ci");

    const created = await ci.post("/api/v1/apis", {
      multipart: {
        definition: { name: "openapi.yaml", mimeType: "application/yaml", buffer: Buffer.from(fixture("swagger-2.0.yaml")) },
        metadata: JSON.stringify({ context: apiContext, name: unique("Legacy") }),
      },
    });
    expect(created.status()).toBe(201);
    const api = await created.json();
    expect(api).toMatchObject({ lifecycleState: "CREATED", sourceSpec: "swagger-2.0", operationCount: 3 });
    const definition = await (await ci.get(`/api/v1/apis/${api.id}/definition`)).json();
    expect(definition.openapi).toMatch(/^3\.0/);

    const invalid = await ci.put(`/api/v1/apis/${api.id}/definition`, {
      headers: { "content-type": "application/yaml" },
      data: fixture("broken.yaml"),
    });
    expect(invalid.status()).toBe(400);
    expect(invalid.headers()["content-type"]).toContain("application/problem+json");
    const problem = await invalid.json();
    expect(problem.code).toBe("invalid_definition");
    expect(problem.errors[0]).toMatchObject({ path: "/paths/~1things/get/parameters/0/schema/type", line: 13 });

    const clash = await ci.post("/api/v1/apis", { data: { name: "Clash", version: api.version, context: apiContext } });
    expect(clash.status()).toBe(409);
    expect((await clash.json()).detail).toContain(api.name);

    const lifecycle = await ci.post(`/api/v1/apis/${api.id}/lifecycle`, { data: { action: "retire" } });
    expect(lifecycle.status()).toBe(409);
    expect(await lifecycle.json()).toMatchObject({ code: "invalid_transition", allowedActions: ["publish", "prototype"] });
    await ci.dispose();
  });
});
