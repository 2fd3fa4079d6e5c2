import { randomBytes } from "node:crypto";
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import type { Role } from "@/lib/auth/permissions";
import type { ServiceContext } from "@/lib/services/context";
import { createUser } from "@/lib/services/users/create-user";

/**
 * Shared end-to-end fixtures. Data is seeded through the services (never through the UI),
 * on the same database the server under test uses; every test makes its own users with
 * unique names, so tests run in parallel.
 */
export const ADMIN = { email: "admin@e2e.test", password: "E2e-admin-password-1" };
export const PASSWORD = "E2e-user-password-1";

/** Acts as a system administrator when seeding. */
export const seedCtx: ServiceContext = {
  actor: { id: "usr_e2e_seed", email: "seed@e2e.test", roles: ["admin", "publisher", "subscriber"] },
  requestId: "e2e-seed",
};

/**
 * What a browser adds to a fetch from one of our pages. A request with the session cookie that
 * changes something is refused without it (or without Origin); Playwright's request context
 * sends neither.
 */
export const SAME_ORIGIN = { "sec-fetch-site": "same-origin" } as const;

export function unique(label: string): string {
  return `${label}-${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

export interface SeededUser {
  id: string;
  email: string;
  password: string;
  roles: Role[];
  ctx: ServiceContext;
}

export async function seedUser(roles: Role[], label: string = roles[0] ?? "user"): Promise<SeededUser> {
  const email = `${unique(label)}@e2e.test`;
  const { user } = await createUser({ email, roles, password: PASSWORD, name: `E2E ${label}` }, seedCtx);
  return { id: user.id, email, password: PASSWORD, roles, ctx: { actor: { id: user.id, email, roles }, requestId: "e2e" } };
}

/** Signs in through next-auth's credentials endpoint, as the sign-in form does, without the UI. */
export async function signInRequest(request: APIRequestContext, email: string, password: string): Promise<void> {
  const csrf = await (await request.get("/api/auth/csrf")).json();
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
  expect(response.status(), `sign-in of ${email}`).toBeLessThan(400);
  const session = await (await request.get("/api/auth/session")).json();
  expect(session?.user?.email, `session of ${email}`).toBe(email);
}

/** Signs in through the form, as a person would. */
export async function signInUi(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: new RegExp(email.slice(0, 10)) })).toBeVisible();
}

type Fixtures = {
  /** A page signed in as a fresh user with exactly this role. */
  asAdmin: { page: Page; user: SeededUser };
  asPublisher: { page: Page; user: SeededUser };
  asSubscriber: { page: Page; user: SeededUser };
};

async function signedInPage(page: Page, roles: Role[]): Promise<{ page: Page; user: SeededUser }> {
  const user = await seedUser(roles);
  await signInRequest(page.request, user.email, user.password);
  return { page, user };
}

export const test = base.extend<Fixtures>({
  asAdmin: async ({ page }, use) => use(await signedInPage(page, ["admin"])),
  asPublisher: async ({ page }, use) => use(await signedInPage(page, ["publisher"])),
  asSubscriber: async ({ page }, use) => use(await signedInPage(page, ["subscriber"])),
});

export { expect };
