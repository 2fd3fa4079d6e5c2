import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteDeploymentCommand,
  GetApiKeysCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  ImportRestApiCommand,
} from "@aws-sdk/client-api-gateway";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIALS, startAwsEmulator, type AwsEmulator } from "@/e2e/emulators/aws/server";

let emulator: AwsEmulator;
let client: APIGatewayClient;

beforeAll(async () => {
  emulator = await startAwsEmulator();
  client = new APIGatewayClient({ region: "eu-west-1", endpoint: emulator.url, credentials: DEFAULT_CREDENTIALS, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});
afterEach(() => emulator.reset());

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: { name: string; message: string; $metadata?: { httpStatusCode?: number } }) => ({
      name: e.name,
      message: e.message,
      status: e.$metadata?.httpStatusCode,
    }),
  );

const MINIMAL = {
  openapi: "3.0.1",
  info: { title: "Pets", version: "1" },
  paths: {
    "/pets": {
      get: {
        responses: { "200": { description: "ok" } },
        "x-amazon-apigateway-integration": { type: "http_proxy", httpMethod: "GET", uri: "http://127.0.0.1:9/pets" },
      },
    },
  },
};

describe("API Gateway emulator: what the real service accepts", () => {
  it.each<[string, unknown, RegExp]>([
    ["neither JSON nor YAML", "{ not json", /Invalid OpenAPI input/],
    ["OpenAPI 3.1", { ...MINIMAL, openapi: "3.1.0" }, /OpenAPI 3\.0 and Swagger 2\.0 documents, not 3\.1\.0/],
    ["no title", { ...MINIMAL, info: { version: "1" } }, /info\.title is required/],
    [
      "a bad integration URI",
      {
        ...MINIMAL,
        paths: { "/pets": { get: { "x-amazon-apigateway-integration": { type: "http_proxy", httpMethod: "GET", uri: "not a url" } } } },
      },
      /Invalid HTTP endpoint specified for URI/,
    ],
    [
      "an unmapped path variable",
      {
        ...MINIMAL,
        paths: {
          "/pets/{id}": {
            get: {
              parameters: [{ name: "id", in: "path", required: true }],
              "x-amazon-apigateway-integration": { type: "http_proxy", httpMethod: "GET", uri: "http://h/pets/{id}" },
            },
          },
        },
      },
      /uses \{id\}, which no integration\.request\.path\.id mapping provides/,
    ],
    [
      "a model name with an underscore",
      { ...MINIMAL, components: { schemas: { call_enum_event: { type: "string" } } } },
      /Unable to create model for 'call_enum_event': Model name must be alphanumeric: call_enum_event/,
    ],
    [
      "a model name with dots",
      { ...MINIMAL, components: { schemas: { Flow: { type: "object" }, "studio.v2.flow": { type: "object" } } } },
      /Model name must be alphanumeric: studio\.v2\.flow/,
    ],
    [
      "a Swagger 2.0 definition name with a hyphen",
      { swagger: "2.0", info: { title: "Pets", version: "1" }, paths: {}, definitions: { "pet-list": { type: "array" } } },
      /Model name must be alphanumeric: pet-list/,
    ],
    [
      "an undefined security scheme",
      {
        ...MINIMAL,
        paths: {
          "/pets": {
            get: {
              security: [{ nope: [] }],
              "x-amazon-apigateway-integration": MINIMAL.paths["/pets"].get["x-amazon-apigateway-integration"],
            },
          },
        },
      },
      /security scheme 'nope' is not defined/,
    ],
  ])("refuses an import with %s", async (_what, body, message) => {
    const error = await failure(client.send(new ImportRestApiCommand({ body: bytes(body), failOnWarnings: false })));
    expect(error).toMatchObject({ name: "BadRequestException", status: 400, message: expect.stringMatching(message) });
    expect(emulator.state.restApis.size).toBe(0);
  });

  it("takes alphanumeric model names, and refuses to deploy an API without methods", async () => {
    const api = await client.send(
      new ImportRestApiCommand({
        body: bytes({ ...MINIMAL, components: { schemas: { CallEnumEvent: { type: "string" }, StudioV2Flow2: { type: "object" } } } }),
      }),
    );
    expect(api.id).toBeTruthy();
    const empty = await client.send(
      new ImportRestApiCommand({ body: bytes({ ...MINIMAL, info: { title: "Hooks", version: "1" }, paths: {} }) }),
    );
    expect(await failure(client.send(new CreateDeploymentCommand({ restApiId: empty.id, stageName: "live" })))).toMatchObject({
      name: "BadRequestException",
      message: "The REST API doesn't contain any methods",
    });
  });

  it("answers unknown ids, duplicate plan keys and busy deployments like API Gateway", async () => {
    expect(await failure(client.send(new GetRestApiCommand({ restApiId: "nope" })))).toMatchObject({
      name: "NotFoundException",
      status: 404,
    });
    const api = await client.send(new ImportRestApiCommand({ body: bytes(MINIMAL) }));
    const deployment = await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: "live" }));
    expect(await failure(client.send(new DeleteDeploymentCommand({ restApiId: api.id, deploymentId: deployment.id })))).toMatchObject({
      name: "BadRequestException",
      message: "Active stages pointing to this deployment must be moved or deleted",
    });
    expect(
      await failure(client.send(new CreateUsagePlanCommand({ name: "p", apiStages: [{ apiId: api.id, stage: "missing" }] }))),
    ).toMatchObject({ name: "BadRequestException" });
    const plan = await client.send(new CreateUsagePlanCommand({ name: "p", apiStages: [{ apiId: api.id, stage: "live" }] }));
    const key = await client.send(new CreateApiKeyCommand({ name: "k", value: "k".repeat(24), enabled: true }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: "API_KEY" }));
    expect(
      await failure(client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: "API_KEY" }))),
    ).toMatchObject({ name: "ConflictException", status: 409 });
    expect(await failure(client.send(new CreateApiKeyCommand({ name: "k2", value: "k".repeat(24) })))).toMatchObject({
      name: "ConflictException",
    });
    expect(await failure(client.send(new CreateApiKeyCommand({ name: "short", value: "too-short" })))).toMatchObject({
      name: "BadRequestException",
    });
  });

  it("refuses a deployment of methods without integrations", async () => {
    const api = await client.send(
      new ImportRestApiCommand({ body: bytes({ ...MINIMAL, paths: { "/pets": { get: { responses: {} } } } }) }),
    );
    expect(await failure(client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: "live" })))).toMatchObject({
      name: "BadRequestException",
      message: "No integration defined for method GET /pets",
    });
  });

  it("pages with limit and position", async () => {
    for (let i = 0; i < 5; i++) await client.send(new CreateApiKeyCommand({ name: `key-${i}`, value: `value-${i}-`.padEnd(24, "x") }));
    const seen: string[] = [];
    let position: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new GetApiKeysCommand({ limit: 2, position }));
      seen.push(...(page.items ?? []).map((k) => k.name!));
      position = page.position;
      pages++;
    } while (position);
    expect(pages).toBe(3);
    expect(seen).toEqual(["key-0", "key-1", "key-2", "key-3", "key-4"]);
    expect(await failure(client.send(new GetApiKeysCommand({ limit: 501 })))).toMatchObject({ name: "BadRequestException" });
  });

  it("takes faults over HTTP, consumes them, and resets", async () => {
    const added = await fetch(`${emulator.url}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ match: { method: "GET", pathPrefix: "/restapis" }, status: 503, times: 2 }),
    });
    expect(added.status).toBe(201);
    for (let i = 0; i < 2; i++)
      expect(await failure(client.send(new GetRestApisCommand({})))).toMatchObject({ name: "ServiceUnavailableException", status: 503 });
    await expect(client.send(new GetRestApisCommand({}))).resolves.toMatchObject({ items: [] });

    await client.send(new ImportRestApiCommand({ body: bytes(MINIMAL) }));
    const state = (await (await fetch(`${emulator.url}/_emulator/state`)).json()) as {
      restApis: Array<{ name: string; resources: unknown[] }>;
    };
    expect(state.restApis).toMatchObject([
      {
        name: "Pets",
        resources: [
          { path: "/", methods: [] },
          { path: "/pets", methods: ["GET"] },
        ],
      },
    ]);
    expect((await fetch(`${emulator.url}/_emulator/faults`, { method: "POST", body: JSON.stringify({ status: 200 }) })).status).toBe(400);
    await fetch(`${emulator.url}/_emulator/reset`, { method: "POST" });
    expect(emulator.state.restApis.size).toBe(0);
  });

  it("refuses a request altered after signing", async () => {
    const tampering = new APIGatewayClient({
      region: "eu-west-1",
      endpoint: emulator.url,
      credentials: DEFAULT_CREDENTIALS,
      maxAttempts: 1,
    });
    // Runs after the signer: the request that leaves differs from the one signed.
    const tamper = ((next: (args: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
      (args.request as { query: Record<string, string> }).query.limit = "7";
      return next(args);
    }) as unknown as Parameters<APIGatewayClient["middlewareStack"]["addRelativeTo"]>[0];
    tampering.middlewareStack.addRelativeTo(tamper, { relation: "after", toMiddleware: "httpSigningMiddleware", name: "tamper" });
    const error = await failure(tampering.send(new GetRestApisCommand({ limit: 5 })));
    tampering.destroy();
    expect(error).toMatchObject({
      name: "InvalidSignatureException",
      status: 403,
      message: expect.stringMatching(/signature we calculated does not match/),
    });
  });
});
