import { expect, seedUser, test } from "../fixtures";

// The server under test is configured as http://localhost:<port>; 127.0.0.1 is the same server.
const configured = new URL(process.env.E2E_BASE_URL!);
const loopback = `http://127.0.0.1:${configured.port}`;

test.describe("sign-in and sign-out stay on the origin in use", () => {
  test("signing in and out at 127.0.0.1 never moves to localhost", async ({ page }) => {
    const user = await seedUser(["subscriber"], "origin");
    const visited: string[] = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });

    await page.goto(`${loopback}/applications`);
    await expect(page).toHaveURL(`${loopback}/signin?callbackUrl=%2Fapplications`);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${loopback}/applications`);

    const menu = page.getByRole("button", { name: new RegExp(user.email.slice(0, 10)) });
    await menu.click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(`${loopback}/signin`);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    expect(visited.filter((u) => !u.startsWith(loopback))).toEqual([]);
  });

  test("the sign-out redirect never leaves for an origin the server does not answer for", async ({ request }) => {
    for (const [origin, callbackUrl, expected] of [
      [loopback, "/signin", `${loopback}/signin`],
      [configured.origin, "/signin", `${configured.origin}/signin`],
      [loopback, "https://evil.example/signin", loopback],
      [loopback, "//evil.example/signin", loopback],
      [loopback, `${loopback}/apis`, `${loopback}/apis`],
    ] as const) {
      const csrf = await (await request.get(`${origin}/api/auth/csrf`)).json();
      const res = await request.post(`${origin}/api/auth/signout`, {
        form: { csrfToken: csrf.csrfToken, callbackUrl, json: "true" },
        maxRedirects: 0,
      });
      expect(res.status()).toBe(200);
      expect((await res.json()).url, `${callbackUrl} at ${origin}`).toBe(expected);
    }
    // A forged Host header cannot pick a foreign origin either: the configured one answers.
    const csrf = await (await request.get(`${loopback}/api/auth/csrf`)).json();
    const forged = await request.post(`${loopback}/api/auth/signout`, {
      headers: { "x-forwarded-host": "evil.example" },
      form: { csrfToken: csrf.csrfToken, callbackUrl: "/signin", json: "true" },
      maxRedirects: 0,
    });
    expect((await forged.json()).url).toBe(`${configured.origin}/signin`);
  });
});
