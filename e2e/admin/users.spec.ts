import { expect, seedUser, signInRequest, test, unique } from "../fixtures";

test.describe("admin user management", () => {
  test("an admin invites a user who sets a password and signs in with the granted role", async ({ asAdmin: { page }, browser }) => {
    const email = `${unique("invitee")}@e2e.test`;
    await page.goto("/admin/users");
    await page.getByLabel("Email").fill(email);
    const roles = page.getByRole("group", { name: "Roles" });
    await roles.getByLabel("publisher").check();
    await roles.getByLabel("subscriber").uncheck();
    await page.getByRole("button", { name: "Add user" }).click();
    const url = (await page.getByTestId("invite-url").textContent())!.trim();
    expect(url).toContain("/invite/");
    await page.getByLabel("Search users").fill(email);
    await page.getByLabel("Search users").press("Enter");
    await expect(page.getByTestId(`user-row-${email}`).getByText("invited")).toBeVisible();

    const context = await browser.newContext();
    const invitee = await context.newPage();
    await invitee.goto(new URL(url).pathname);
    await expect(invitee.getByText(`Set a password for ${email}`)).toBeVisible();
    await invitee.getByLabel("Password").fill("Invited-password-5");
    await invitee.getByRole("button", { name: "Set password and sign in" }).click();
    await expect(invitee.getByRole("navigation", { name: "Portals" }).getByRole("link")).toHaveText(["Developer portal", "Publisher"]);
    await context.close();
  });

  test("an admin grants a role, and disabling a user ends their access", async ({ asAdmin: { page }, browser }) => {
    const target = await seedUser(["subscriber"], "target");
    const context = await browser.newContext();
    const targetPage = await context.newPage();
    await signInRequest(targetPage.request, target.email, target.password);
    expect((await targetPage.goto("/publisher"))?.status()).toBe(403);

    await page.goto(`/admin/users?q=${encodeURIComponent(target.email)}`);
    const row = page.getByTestId(`user-row-${target.email}`);
    await row.getByLabel(`publisher role for ${target.email}`).check();
    await expect(page.getByText(`Roles of ${target.email} updated`)).toBeVisible();
    expect((await targetPage.goto("/publisher"))?.status()).toBe(200);

    page.once("dialog", (d) => d.accept());
    await row.getByRole("button", { name: "Disable" }).click();
    await expect(page.getByText(`${target.email} disabled`)).toBeVisible();
    await expect(row.getByText("disabled", { exact: true })).toBeVisible();
    await targetPage.goto("/publisher");
    await expect(targetPage).toHaveURL(/\/signin/);
    await context.close();
  });

  test("the audit log lists the changes and filters them", async ({ asAdmin: { page, user } }) => {
    const target = await seedUser(["subscriber"], "audited");
    await page.goto(`/admin/users?q=${encodeURIComponent(target.email)}`);
    await page.getByTestId(`user-row-${target.email}`).getByLabel(`publisher role for ${target.email}`).check();
    await expect(page.getByText(`Roles of ${target.email} updated`)).toBeVisible();
    await page.goto(`/admin/audit?objectId=${target.id}`);
    await expect(page.getByRole("cell", { name: "user.update" })).toBeVisible();
    await expect(page.getByRole("cell", { name: user.email })).toBeVisible();
    await page.goto(`/admin/audit?objectId=${target.id}&action=token.`);
    await expect(page.getByText("No entries match")).toBeVisible();
  });
});
