import { createToken } from "@/lib/services/tokens/create-token";
import { ADMIN, expect, SAME_ORIGIN, seedUser, signInRequest, signInUi, test, unique } from "../fixtures";

// Serial: the last test turns self sign-up off for a moment, which the others rely on.
test.describe.serial("sign-up, sign-in and sign-out", () => {
  test("a visitor signs up, lands signed in as a subscriber, signs out and back in", async ({ page }) => {
    const email = `${unique("signup")}@e2e.test`;
    await page.goto("/");
    await page.getByRole("link", { name: "Sign up" }).click();
    await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#password-error")).toContainText("at least 10 characters");

    await page.getByLabel("Password").fill("Sign-up-password-9");
    await page.getByRole("button", { name: "Create account" }).click();
    const menu = page.getByRole("button", { name: new RegExp(email.slice(0, 12)) });
    await expect(menu).toBeVisible();
    await expect(page.getByRole("heading", { name: "API catalog" })).toBeVisible();

    await menu.click();
    await expect(page.getByText("Roles: subscriber")).toBeVisible();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

    await signInUi(page, email, "Sign-up-password-9");
  });

  test("sign-up refuses an existing email and a malformed one on the field", async ({ page }) => {
    const existing = await seedUser(["subscriber"]);
    await page.goto("/signup");
    await page.getByLabel("Email").fill(existing.email);
    await page.getByLabel("Password").fill("Another-password-7");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#email-error")).toHaveText("An account with this email already exists.");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#email-error")).toHaveText("Enter a valid email address.");
  });

  test("a wrong password gets a generic message", async ({ page }) => {
    const user = await seedUser(["subscriber"]);
    await page.goto("/signin");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("Wrong-password-123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Invalid" })).toHaveText("Invalid email or password.");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("a protected page sends an anonymous visitor to sign-in and back", async ({ page }) => {
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Fusers/);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin\/users$/);
    await expect(page.getByRole("heading", { name: "Users", exact: true })).toBeVisible();
  });

  test("turning self sign-up off closes the sign-up page", async ({ page, browser }) => {
    await signInRequest(page.request, ADMIN.email, ADMIN.password);
    await page.goto("/admin/settings");
    const save = async () =>
      Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/admin/settings")),
        page.getByRole("button", { name: "Save settings" }).click(),
      ]);
    await page.getByLabel("Self sign-up").uncheck();
    await save();
    const anon = await browser.newContext();
    const visitor = await anon.newPage();
    await visitor.goto("/signup");
    await expect(visitor.getByRole("heading", { name: "Sign-up is closed" })).toBeVisible();
    await page.getByLabel("Self sign-up").check();
    await save();
    await visitor.goto("/signup");
    await expect(visitor.getByRole("heading", { name: "Create your account" })).toBeVisible();
    await anon.close();
  });
});

test.describe("role-gated navigation", () => {
  const cases = [
    { roles: ["subscriber"] as const, portals: ["Developer portal"] },
    { roles: ["publisher"] as const, portals: ["Developer portal", "Publisher"] },
    { roles: ["admin"] as const, portals: ["Developer portal", "Publisher", "Admin"] },
  ];
  for (const c of cases) {
    test(`${c.roles[0]} sees exactly its portals`, async ({ page }) => {
      const user = await seedUser([...c.roles]);
      await signInUi(page, user.email, user.password);
      const links = page.getByRole("navigation", { name: "Portals" }).getByRole("link");
      await expect(links).toHaveText(c.portals);
    });
  }

  test("a subscriber is refused on a publisher page, an admin page and the admin API", async ({ asSubscriber: { page } }) => {
    const response = await page.goto("/publisher");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    expect((await page.goto("/admin/users"))?.status()).toBe(403);

    // The same session cookie on a privileged API call: 403 problem+json, nothing created.
    const created = await page.request.post("/api/v1/users", {
      data: { email: `${unique("x")}@e2e.test`, roles: ["admin"], password: "Some-password-12" },
      headers: SAME_ORIGIN,
    });
    expect(created.status()).toBe(403);
    expect(created.headers()["content-type"]).toContain("application/problem+json");
    expect((await created.json()).code).toBe("forbidden");
  });

  test("a cross-site request with the session cookie is refused", async ({ asAdmin: { page } }) => {
    const response = await page.request.patch("/api/v1/settings", {
      data: { selfSignup: true },
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(response.status()).toBe(403);
    expect((await response.json()).code).toBe("cross_site_request");
  });

  test("a change with the session cookie needs Origin or Sec-Fetch-Site: same-origin; a bearer token needs neither", async ({
    asPublisher: { page },
    playwright,
    baseURL,
  }) => {
    const body = { name: unique("csrf-token") };
    const bare = await page.request.post("/api/v1/tokens", { data: body });
    expect(bare.status()).toBe(403);
    expect((await bare.json()).code).toBe("cross_site_request");
    const typed = await page.request.post("/api/v1/tokens", { data: body, headers: { "sec-fetch-site": "none" } });
    expect(typed.status()).toBe(403);

    const sameSite = await page.request.post("/api/v1/tokens", { data: body, headers: SAME_ORIGIN });
    expect(sameSite.status()).toBe(201);
    const withOrigin = await page.request.post("/api/v1/tokens", { data: { name: unique("csrf-origin") }, headers: { origin: baseURL! } });
    expect(withOrigin.status()).toBe(201);

    // A script with a bearer token sends neither header, and no cookie.
    const script = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { authorization: `Bearer ${(await sameSite.json()).token}` },
    });
    const scripted = await script.post("/api/v1/tokens", { data: { name: unique("csrf-bearer") } });
    expect(scripted.status()).toBe(201);
    await script.dispose();
  });

  test("the page's own fetch with the session cookie passes the check", async ({ asPublisher: { page } }) => {
    await page.goto("/account/tokens");
    const status = await page.evaluate(async () => {
      const response = await fetch("/api/v1/tokens", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "from-the-page" }),
      });
      return response.status;
    });
    expect(status).toBe(201);
  });
});

test.describe("personal access tokens", () => {
  test("a token created in the UI works against /api/v1/me until it is revoked", async ({ asPublisher: { page, user }, playwright }) => {
    await page.goto("/account/tokens");
    await expect(page.getByText("No tokens yet")).toBeVisible();
    await page.getByLabel("Name").fill("ci-pipeline");
    await page.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByTestId("new-token").textContent())!.trim();
    expect(token).toMatch(/^mpat_/);

    const api = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL });
    const me = await api.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ email: user.email, roles: ["publisher"] });

    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Revoke ci-pipeline" }).click();
    await expect(page.getByRole("cell", { name: "revoked" })).toBeVisible();
    const after = await api.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
    expect(after.status()).toBe(401);
    expect(after.headers()["content-type"]).toContain("application/problem+json");
    expect((await api.get("/api/v1/me", { headers: { authorization: "Bearer mpat_malformed" } })).status()).toBe(401);
    expect((await api.get("/api/v1/me")).status()).toBe(401);
    await api.dispose();
  });
});

test.describe("HTTP semantics of the management API on the running server", () => {
  test("a method a route lacks is a 405 problem with Allow; a body must be JSON and storable text", async ({
    asSubscriber: { user },
    playwright,
    baseURL,
  }) => {
    const { token } = await createToken({ name: "http" }, user.ctx);
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    for (const [method, url, allow] of [
      ["DELETE", "/api/v1/me", "GET, HEAD, OPTIONS"],
      ["PUT", "/api/v1/openapi.json", "GET, HEAD, OPTIONS"],
      ["GET", "/api/v1/keys/rotate", "OPTIONS, POST"],
      ["HEAD", "/api/v1/keys/rotate", "OPTIONS, POST"],
      ["POST", "/api/v1/applications/app_x", "DELETE, GET, HEAD, OPTIONS, PATCH"],
    ] as const) {
      const response = await api.fetch(url, { method });
      expect(response.status(), `${method} ${url}`).toBe(405);
      expect(response.headers()["allow"], `${method} ${url}`).toBe(allow);
      if (method !== "HEAD") expect((await response.json()).code).toBe("method_not_allowed");
    }
    const options = await api.fetch("/api/v1/tiers", { method: "OPTIONS" });
    expect(options.status()).toBe(204);
    expect(options.headers()["allow"]).toBe("GET, HEAD, OPTIONS, POST");

    const form = await api.post("/api/v1/applications", { form: { name: "form app" } });
    expect(form.status()).toBe(415);
    const nul = await api.post("/api/v1/applications", { data: { name: "nul\u0000app" } });
    expect(nul.status()).toBe(400);
    expect((await nul.json()).errors).toEqual([expect.objectContaining({ path: "name" })]);
    const ok = await api.post("/api/v1/applications", { data: { name: unique("json app") } });
    expect(ok.status()).toBe(201);
    await api.dispose();
  });
});
