import { createApi } from "@/lib/services/apis/create-api";
import { getApi } from "@/lib/services/apis/get-api";
import { listTierNames } from "@/lib/services/tiers/list-tiers";
import { expect, SAME_ORIGIN, test, unique } from "../fixtures";

const DOC = {
  openapi: "3.0.3",
  info: { title: "T", version: "1" },
  paths: { "/x": { get: { responses: { "200": { description: "ok" } } } } },
};

test.describe("publisher: allowed tiers", () => {
  test("chooses allowed tiers among those that exist, with the keyboard; none chosen offers every tier", async ({
    asPublisher: { page, user },
  }) => {
    const name = unique("Tiers");
    const api = await createApi({ name, version: "v1", context: `/${name.toLowerCase()}`, definition: JSON.stringify(DOC) }, user.ctx);
    await page.goto(`/publisher/apis/${api.id}`);

    const group = page.getByRole("group", { name: "Allowed subscription tiers" });
    await expect(group.getByRole("radio", { name: /Every tier/ })).toBeChecked();
    await expect(group.getByRole("textbox")).toHaveCount(0);
    const tiers = await listTierNames("subscription");
    await expect(group.getByRole("checkbox")).toHaveCount(tiers.length);
    // With "every tier", the boxes show all ticked and cannot be changed.
    await expect(group.getByRole("checkbox", { name: /^Gold/ })).toBeChecked();
    await expect(group.getByRole("checkbox", { name: /^Gold/ })).toBeDisabled();

    // Keyboard only: arrow to "Only the tiers chosen below", then tab to the boxes and tick with Space.
    await group.getByRole("radio", { name: /Every tier/ }).focus();
    await page.keyboard.press("ArrowRight");
    await expect(group.getByRole("radio", { name: /Only the tiers/ })).toBeChecked();
    await expect(group.getByRole("checkbox", { name: /^Gold/ })).not.toBeChecked();

    // "Only" with nothing ticked is refused rather than saved as "every tier".
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(group.getByRole("alert")).toHaveText(/Tick at least one tier/);

    await group.getByRole("checkbox", { name: /^Gold/ }).focus();
    await page.keyboard.press("Space");
    await group.getByRole("checkbox", { name: /^Bronze/ }).focus();
    await page.keyboard.press("Space");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Settings saved")).toBeVisible();
    expect((await getApi(api.id, user.ctx)).allowedTiers.sort()).toEqual(["Bronze", "Gold"]);

    await page.reload();
    await expect(group.getByRole("radio", { name: /Only the tiers/ })).toBeChecked();
    await expect(group.getByRole("checkbox", { name: /^Gold/ })).toBeChecked();
    await expect(group.getByRole("checkbox", { name: /^Silver/ })).not.toBeChecked();

    // Back to every tier: stored as an empty list.
    await group.getByRole("radio", { name: /Every tier/ }).check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Settings saved").first()).toBeVisible();
    await expect.poll(async () => (await getApi(api.id, user.ctx)).allowedTiers).toEqual([]);
  });
});

test.describe("publisher: readable import errors", () => {
  const broken = JSON.stringify(
    { openapi: "3.0.3", info: { title: "Broken", version: "1" }, paths: { "/x": { get: { summary: "s", responses: "oops" } } } },
    null,
    2,
  );
  const responsesLine = broken.split("\n").findIndex((l) => l.includes('"responses"')) + 1;

  test("an import error names its place as a person reads it, with its line, in the UI and the problem document", async ({
    asPublisher: { page },
  }) => {
    await page.goto("/publisher/apis/new");
    await page.getByRole("radio", { name: /Paste the document/ }).check();
    await page.getByRole("textbox", { name: "OpenAPI document" }).fill(broken);
    await page.getByLabel("Context").fill(`/${unique("broken").toLowerCase()}`);
    await page.getByRole("button", { name: "Import API" }).click();

    const errors = page.getByRole("list", { name: "Validation errors" });
    await expect(errors.getByRole("listitem")).toHaveCount(1);
    await expect(errors.getByRole("listitem")).toContainText("paths › /x › get › responses");
    await expect(errors.getByRole("listitem")).toContainText(`line ${responsesLine}`);
    await expect(errors).not.toContainText("~1");

    const res = await page.request.post("/api/v1/apis", {
      data: { definition: broken, context: `/${unique("broken").toLowerCase()}` },
      headers: SAME_ORIGIN,
    });
    expect(res.status()).toBe(400);
    const problem = await res.json();
    expect(problem.code).toBe("invalid_definition");
    expect(problem.detail).toContain(`(at paths › /x › get › responses, line ${responsesLine})`);
    expect(problem.errors[0]).toMatchObject({
      path: "/paths/~1x/get/responses",
      place: "paths › /x › get › responses",
      line: responsesLine,
    });
  });

  test("a JSON syntax error is reported on the line to fix, YAML too", async ({ asPublisher: { page } }) => {
    const trailingComma = '{\n  "openapi": "3.0.3",\n  "info": { "title": "T", "version": "1" },\n  "paths": {},\n}\n';
    const json = await (
      await page.request.post("/api/v1/apis", {
        data: { definition: trailingComma, context: `/${unique("comma").toLowerCase()}` },
        headers: SAME_ORIGIN,
      })
    ).json();
    expect(json.errors[0]).toMatchObject({ line: 4, message: expect.stringMatching(/^JSON syntax error: A comma before `}`/) });
    const unquoted = '{\n  "openapi": "3.0.3",\n  "info": { "title": T, "version": "1" },\n  "paths": {}\n}\n';
    const word = await (
      await page.request.post("/api/v1/apis", {
        data: { definition: unquoted, context: `/${unique("word").toLowerCase()}` },
        headers: SAME_ORIGIN,
      })
    ).json();
    expect(word.errors[0]).toMatchObject({ line: 3, column: 22 });
    const yaml = await (
      await page.request.post("/api/v1/apis", {
        data: {
          definition: "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n  /x: {get: x\n",
          context: `/${unique("yaml").toLowerCase()}`,
        },
        headers: SAME_ORIGIN,
      })
    ).json();
    expect(yaml.errors[0].message).toMatch(/^YAML syntax error: /);
    expect(yaml.errors[0].line).toBeGreaterThanOrEqual(6);

    await page.goto("/publisher/apis/new");
    await page.getByRole("radio", { name: /Paste the document/ }).check();
    await page.getByRole("textbox", { name: "OpenAPI document" }).fill(trailingComma);
    await page.getByLabel("Context").fill(`/${unique("comma").toLowerCase()}`);
    await page.getByRole("button", { name: "Import API" }).click();
    await expect(page.getByRole("list", { name: "Validation errors" }).getByRole("listitem")).toContainText("line 4");
  });
});
