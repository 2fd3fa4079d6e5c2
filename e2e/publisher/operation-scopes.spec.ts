import { closeDb } from "@/lib/db/client";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApplication } from "@/lib/services/applications/create-application";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { GREETING, seedDeployedApi, startBackend } from "../developer/support";
import { expect, seedUser, signInRequest, test, unique } from "../fixtures";

/**
 * OAuth2 scopes per operation: a publisher requires a scope of one operation on the Operations
 * tab; once the revision is deployed, the built-in gateway refuses a consumer's token without
 * that scope (403 insufficient_scope) and lets the same consumer's token with it through. The
 * tokens come from the key manager's token endpoint, which grants the scope only because the
 * consumer's application is subscribed to the API that defines it.
 */

const gatewayUrl = process.env.E2E_GATEWAY_URL!;
const baseUrl = process.env.E2E_BASE_URL!;

let backend: Awaited<ReturnType<typeof startBackend>>;

test.beforeAll(async () => {
  backend = await startBackend();
});

test.afterAll(async () => {
  await backend?.close();
  await closeDb();
});

async function clientCredentialsToken(clientId: string, clientSecret: string, scope?: string): Promise<Response> {
  const body = new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) });
  return fetch(`${baseUrl}/oauth2/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
    },
    body,
  });
}

test("a publisher requires a scope of an operation; the gateway refuses a token without it and accepts one with it", async ({
  asPublisher: { page, user },
  browser,
}) => {
  test.setTimeout(120_000);
  const scope = `greetings:${unique("personal")}`;
  const api = await seedDeployedApi(user.ctx, backend.url, { label: "Scoped", scheme: "oauth2" });

  // The publisher assigns the scope in the portal.
  await page.goto(`/publisher/apis/${api.id}/operations`);
  await page.getByRole("button", { name: "Edit policy of GET /hello/{name}" }).click();
  const form = page.getByRole("form", { name: "Policy of GET /hello/{name}" });
  await form.getByLabel("Scopes").fill(scope);
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Policy of GET /hello/{name} saved")).toBeVisible();
  await expect(page.getByTestId("operation-get-/hello/{name}").getByTestId("operation-scopes")).toHaveText(scope);
  await page.reload();
  await expect(page.getByTestId("operation-get-/hello/{name}").getByTestId("operation-scopes")).toHaveText(scope);
  await expect(page.getByTestId("operation-get-/hello").getByTestId("operation-scopes")).toHaveCount(0);

  // A new revision carries it to the built-in gateway.
  const revision = await createRevision(api.id, { description: "scoped greetings" }, user.ctx);
  await deployRevision(api.id, { revisionId: revision.id, environments: ["default"] }, user.ctx);

  // A consumer subscribed to the API gets tokens from the token endpoint.
  const consumer = await seedUser(["subscriber"], "scope-consumer");
  const app = await createApplication({ name: unique("scoped-app") }, consumer.ctx);
  await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, consumer.ctx);
  const { clientId, clientSecret } = await generateClientCredentials(app.id, { keyType: "production" }, consumer.ctx);
  const plain = await clientCredentialsToken(clientId, clientSecret);
  expect(plain.status).toBe(200);
  const withoutScope = (await plain.json()).access_token as string;
  const scoped = await clientCredentialsToken(clientId, clientSecret, scope);
  expect(scoped.status).toBe(200);
  const scopedBody = await scoped.json();
  expect(scopedBody.scope).toBe(scope);
  // A scope no subscribed API defines is refused.
  const refusedGrant = await clientCredentialsToken(clientId, clientSecret, `${scope}:admin`);
  expect(refusedGrant.status).toBe(400);
  expect((await refusedGrant.json()).error).toBe("invalid_scope");

  const call = (path: string, token: string) =>
    page.request.get(`${gatewayUrl}${api.context}/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  // The gateway takes the new revision, the subscription and the credentials from its next
  // snapshots (a 403 may first mean "not subscribed yet"): wait for the scope's refusal itself.
  const outcome = async (token: string) => {
    const res = await call("/hello/ada", token);
    return `${res.status()} ${((await res.json().catch(() => ({}))) as { code?: string }).code ?? ""}`.trim();
  };
  await expect.poll(() => outcome(withoutScope), { timeout: 15_000, intervals: [200] }).toBe("403 insufficient_scope");
  const refused = await call("/hello/ada", withoutScope);
  expect(refused.headers()["www-authenticate"]).toBe(`Bearer error="insufficient_scope", scope="${scope}"`);
  expect((await refused.json()).code).toBe("insufficient_scope");

  const allowed = await call("/hello/ada", scopedBody.access_token);
  expect(allowed.status()).toBe(200);
  expect((await allowed.json()).greeting).toBe(GREETING);
  // The operation without scopes still takes the plain token.
  expect((await call("/hello", withoutScope)).status()).toBe(200);

  // The consumer asks for the scope in the developer portal too.
  const consumerContext = await browser.newContext();
  try {
    const portal = await consumerContext.newPage();
    await signInRequest(portal.request, consumer.email, consumer.password);
    await portal.goto(`/applications/${app.id}`);
    const production = portal.getByTestId("credentials-production");
    await production.getByLabel("Scopes of the production access token").fill(`${scope}:admin`);
    await production.getByRole("button", { name: "Generate access token" }).click();
    await expect(production.getByRole("alert")).toContainText(`${scope}:admin`);
    await production.getByLabel("Scopes of the production access token").fill(scope);
    await production.getByRole("button", { name: "Generate access token" }).click();
    await expect(production.getByText(`with the scopes ${scope}`)).toBeVisible();
    const portalToken = (await production.getByTestId("access-token-production").textContent())!;
    expect((await call("/hello/grace", portalToken)).status()).toBe(200);
  } finally {
    await consumerContext.close();
  }
});
