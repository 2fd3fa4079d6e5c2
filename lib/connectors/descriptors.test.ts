import { describe, expect, it } from "vitest";
import { DESCRIPTORS, listDescriptors } from "./descriptors";
import { describeConfigFields, secretFieldNames } from "./fields";
import { getConnector, getDescriptor } from "./registry";
import { CONNECTOR_TYPES, ENVIRONMENT_MODES, type ConnectorType } from "./types";

const GUID = "6f1c3b7e-2d4a-4f5b-9c8d-0e1f2a3b4c5d";
const PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQk\n-----END CERTIFICATE-----\n";

/** Real configurations each type must accept. */
const VALID: Record<ConnectorType, Array<Record<string, unknown>>> = {
  builtin: [{}],
  agent: [{}],
  aws: [
    { region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    { region: "us-gov-west-1", roleArn: "arn:aws-us-gov:iam::123456789012:role/meridian", externalId: "meridian-ext" },
    {
      region: "cn-north-1",
      roleArn: "arn:aws-cn:iam::123456789012:role/path/to/deployer",
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "x",
    },
    {
      region: "ap-southeast-2",
      accessKeyId: "test",
      secretAccessKey: "test",
      stageName: "prod_v2",
      authorizerArn: "arn:aws:lambda:ap-southeast-2:123456789012:function:meridian-authorizer:live",
      authorizerRoleArn: "arn:aws:iam::123456789012:role/authorizer-invoke",
      endpoint: "http://localhost:4566",
    },
  ],
  azure: [
    {
      tenantId: GUID,
      clientId: GUID,
      clientSecret: "s3cr3t~value",
      subscriptionId: GUID,
      resourceGroup: "rg-apis.prod(eu)",
      serviceName: "contoso-apim",
    },
    {
      tenantId: "contoso.onmicrosoft.com",
      clientId: GUID.toUpperCase(),
      clientSecret: "x",
      subscriptionId: GUID,
      resourceGroup: "rg",
      serviceName: "a",
      endpoint: "https://management.chinacloudapi.cn",
      authorityHost: "https://login.chinacloudapi.cn",
    },
  ],
  kong: [
    { adminUrl: "http://kong-admin:8001" },
    { adminUrl: "https://kong.example.com/admin/", adminToken: "kpat_123", workspace: "team-payments" },
    { mode: "dbless", adminUrl: "http://kong:8001" },
    {
      mode: "konnect",
      adminUrl: "https://eu.api.konghq.com",
      adminToken: "kpat_1",
      controlPlaneId: "6c0d2a4e-5b1f-4c3a-9e7d-1a2b3c4d5e6f",
    },
  ],
  envoy: [
    {
      apiServerUrl: "https://10.0.0.1:6443",
      bearerToken: "eyJhbGciOiJSUzI1NiJ9.payload.signature",
      namespace: "default",
      gatewayName: "eg",
    },
    {
      apiServerUrl: "https://k8s.example.com",
      bearerToken: "t",
      caCertificate: PEM,
      namespace: "apis-prod",
      gatewayName: "public.gateway",
    },
  ],
};

/** Bad configurations, each with the field that must carry the error. */
const INVALID: Record<ConnectorType, Array<[Record<string, unknown>, string]>> = {
  builtin: [[{ url: "http://x" }, ""]],
  agent: [[{ token: "x" }, ""]],
  aws: [
    [{ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" }, "region"],
    [{ region: "Ireland", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" }, "region"],
    [{ region: "eu-west-1" }, "accessKeyId"],
    [{ region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE" }, "secretAccessKey"],
    [{ region: "eu-west-1", secretAccessKey: "x" }, "accessKeyId"],
    [{ region: "eu-west-1", accessKeyId: "AKIA IOSF", secretAccessKey: "x" }, "accessKeyId"],
    [{ region: "eu-west-1", roleArn: "arn:aws:iam::123:role/short-account" }, "roleArn"],
    [{ region: "eu-west-1", roleArn: "arn:aws:iam::123456789012:user/not-a-role" }, "roleArn"],
    [{ region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x", externalId: "ext-id" }, "roleArn"],
    [{ region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x", stageName: "prod-stage" }, "stageName"],
    [
      {
        region: "eu-west-1",
        accessKeyId: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "x",
        authorizerArn: "arn:aws:lambda:eu-west-1:123456789012:layer:x",
      },
      "authorizerArn",
    ],
    [
      {
        region: "eu-west-1",
        accessKeyId: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "x",
        authorizerRoleArn: "arn:aws:iam::123456789012:role/invoke",
      },
      "authorizerArn",
    ],
    [{ region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x", endpoint: "localstack:4566" }, "endpoint"],
    [{ region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x", endpoint: "ftp://localhost" }, "endpoint"],
  ],
  azure: [
    [
      { tenantId: "not a tenant", clientId: GUID, clientSecret: "x", subscriptionId: GUID, resourceGroup: "rg", serviceName: "apim" },
      "tenantId",
    ],
    [{ tenantId: GUID, clientId: "client", clientSecret: "x", subscriptionId: GUID, resourceGroup: "rg", serviceName: "apim" }, "clientId"],
    [{ tenantId: GUID, clientId: GUID, subscriptionId: GUID, resourceGroup: "rg", serviceName: "apim" }, "clientSecret"],
    [{ tenantId: GUID, clientId: GUID, clientSecret: "", subscriptionId: GUID, resourceGroup: "rg", serviceName: "apim" }, "clientSecret"],
    [
      { tenantId: GUID, clientId: GUID, clientSecret: "x", subscriptionId: "123", resourceGroup: "rg", serviceName: "apim" },
      "subscriptionId",
    ],
    [
      { tenantId: GUID, clientId: GUID, clientSecret: "x", subscriptionId: GUID, resourceGroup: "rg.", serviceName: "apim" },
      "resourceGroup",
    ],
    [{ tenantId: GUID, clientId: GUID, clientSecret: "x", subscriptionId: GUID, resourceGroup: "rg", serviceName: "1apim" }, "serviceName"],
    [{ tenantId: GUID, clientId: GUID, clientSecret: "x", subscriptionId: GUID, resourceGroup: "rg", serviceName: "apim-" }, "serviceName"],
    [
      {
        tenantId: GUID,
        clientId: GUID,
        clientSecret: "x",
        subscriptionId: GUID,
        resourceGroup: "rg",
        serviceName: "apim",
        endpoint: "management.azure.com",
      },
      "endpoint",
    ],
  ],
  kong: [
    [{}, "adminUrl"],
    [{ adminUrl: "kong:8001" }, "adminUrl"],
    [{ adminUrl: "http://user:pass@kong:8001" }, "adminUrl"],
    [{ adminUrl: "http://kong:8001", workspace: "team a" }, "workspace"],
    [{ adminUrl: "http://kong:8001", adminToken: "" }, "adminToken"],
    [{ adminUrl: "http://kong:8001", mode: "cloud" }, "mode"],
    [{ adminUrl: "https://eu.api.konghq.com", mode: "konnect", adminToken: "kpat_1" }, "controlPlaneId"],
  ],
  envoy: [
    [{ bearerToken: "t", namespace: "default", gatewayName: "eg" }, "apiServerUrl"],
    [{ apiServerUrl: "https://k8s:6443", namespace: "default", gatewayName: "eg" }, "bearerToken"],
    [{ apiServerUrl: "https://k8s:6443", bearerToken: "t", namespace: "Default", gatewayName: "eg" }, "namespace"],
    [{ apiServerUrl: "https://k8s:6443", bearerToken: "t", namespace: "default", gatewayName: "EG_1" }, "gatewayName"],
    [
      { apiServerUrl: "https://k8s:6443", bearerToken: "t", namespace: "default", gatewayName: "eg", caCertificate: "not a pem" },
      "caCertificate",
    ],
  ],
};

describe("connector descriptors", () => {
  it("cover every type, each with its modes and a schema", () => {
    expect(listDescriptors().map((d) => d.type)).toEqual([...CONNECTOR_TYPES]);
    for (const d of listDescriptors()) {
      expect(d.label).toBeTruthy();
      expect(d.modes.length).toBeGreaterThan(0);
      for (const m of d.modes) expect(ENVIRONMENT_MODES).toContain(m);
      if (d.capabilities.delivery === "pull") expect(d.modes).toEqual(["write-only"]);
      expect(getConnector(d.type).descriptor).toBe(d);
    }
  });

  for (const type of CONNECTOR_TYPES) {
    describe(type, () => {
      it.each(VALID[type].map((c, i) => [i, c] as const))("accepts real configuration %i", (_i, config) => {
        const parsed = DESCRIPTORS[type].configSchema.safeParse(config);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      });
      it.each(INVALID[type].map(([c, field]) => [field || "(unknown key)", c] as const))("refuses a bad %s", (field, config) => {
        const parsed = DESCRIPTORS[type].configSchema.safeParse(config);
        expect(parsed.success).toBe(false);
        const paths = parsed.error!.issues.map((i) => i.path.join("."));
        expect(paths).toContain(field === "(unknown key)" ? "" : field);
      });
    });
  }

  it("describe their fields for the generic form, secrets marked", () => {
    const fields = describeConfigFields(DESCRIPTORS.aws.configSchema);
    const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(byName.region).toMatchObject({ label: "AWS Region", required: true, secret: false });
    expect(byName.secretAccessKey).toMatchObject({ label: "Secret access key", required: false, secret: true });
    expect(byName.stageName).toMatchObject({ required: false, defaultValue: "meridian" });
    expect(describeConfigFields(DESCRIPTORS.envoy.configSchema).find((f) => f.name === "caCertificate")?.multiline).toBe(true);
    expect(secretFieldNames(DESCRIPTORS.azure.configSchema)).toEqual(["clientSecret"]);
    expect(secretFieldNames(DESCRIPTORS.kong.configSchema)).toEqual(["adminToken"]);
    expect(secretFieldNames(DESCRIPTORS.envoy.configSchema)).toEqual(["bearerToken"]);
    expect(describeConfigFields(DESCRIPTORS.builtin.configSchema)).toEqual([]);
    // Every field of every type has a label of its own.
    for (const d of listDescriptors()) for (const f of describeConfigFields(d.configSchema)) expect(f.label).not.toBe(f.name);
  });

  it("refuse an unknown type", () => {
    expect(() => getDescriptor("nginx")).toThrow(/Unknown gateway type "nginx"/);
    expect(() => getConnector("")).toThrow(/Unknown gateway type/);
  });

  it("say plainly that discovery is not available where a gateway has nothing to discover", async () => {
    // Pull gateways run what Meridian sends them: their deployments never go through a connector.
    await expect(getConnector("builtin").discover({})).rejects.toMatchObject({
      code: "not_implemented",
      status: 501,
      message: "Meridian gateway discovery is not available yet.",
    });
  });
});
