import { describe, expect, it } from "vitest";
import { planAgentDeployment } from "./agent/connector";
import { envoyConfigSchema } from "./envoy/descriptor";
import { translate as translateToEnvoy } from "./envoy/translate";
import { ownIssuerOnlyRefusals } from "./key-managers";
import { translateToKong } from "./kong/translate";
import { sampleDeploymentInput, sampleSettings } from "./sample-input";
import type { DeploymentInput, KeyManagerInfo } from "./types";

const oauth2 = sampleSettings({ security: { scheme: "oauth2", apiKeyHeader: "x-api-key" }, operationPolicies: {} });
const base = sampleDeploymentInput(
  {},
  { revision: { id: "rev_1", number: 1, definition: sampleDeploymentInput({}).revision.definition, settings: oauth2 } },
);
const external: KeyManagerInfo = {
  issuer: "https://idp.example.com/realms/apis",
  audience: "orders",
  jwksUri: "https://idp.example.com/realms/apis/certs",
  openidConfigurationUrl: "https://idp.example.com/realms/apis/.well-known/openid-configuration",
};
const withKeyManagers = (keyManagers: KeyManagerInfo[]): DeploymentInput => ({ ...base, keyManagers });

describe("gateways that verify Meridian's own tokens only", () => {
  it.each([
    ["Meridian's key manager alone", [base.keyManager], []],
    ["an external one beside it", [base.keyManager, external], ["external key managers"]],
    ["none allowed in the environment", [], ["key managers"]],
  ])("with %s, refuse %j", (_label, kms, features) => {
    expect(ownIssuerOnlyRefusals(withKeyManagers(kms), "Kong").map((r) => r.feature)).toEqual(features);
  });

  it("name the external issuer in the Kong, Envoy Gateway and HAProxy agent plans, and refuse nothing for an API-key API", () => {
    const input = withKeyManagers([base.keyManager, external]);
    const kong = translateToKong(input).refusals.find((r) => r.feature === "external key managers");
    expect(kong?.reason).toContain("https://idp.example.com/realms/apis");
    const config = envoyConfigSchema.parse({
      apiServerUrl: "https://k8s.example.com:6443",
      bearerToken: "t",
      namespace: "apis",
      gatewayName: "eg",
    });
    const envoy = translateToEnvoy(input, config).refusals.find((r) => r.feature === "external key managers");
    expect(envoy?.reason).toMatch(/Envoy Gateway is set up to verify tokens of Meridian's own key manager only/);
    const haproxy = planAgentDeployment({ ...input, config: { gateway: "haproxy" } }).refusals.find(
      (r) => r.feature === "external key managers",
    );
    expect(haproxy?.reason).toMatch(/^The API accepts tokens from https:\/\/idp\.example\.com\/realms\/apis; the HAProxy agent is set up/);
    const apiKey = { ...input, revision: { ...input.revision, settings: sampleSettings() } };
    expect(ownIssuerOnlyRefusals(apiKey, "Kong")).toEqual([]);
  });
});
