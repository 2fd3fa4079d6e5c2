import { describe, expect, it } from "vitest";
import { describeAzureFailure } from "./errors";

const CONFIG = {
  tenantId: "contoso.onmicrosoft.com",
  clientId: "6f1c3b7e-2d4a-4f5b-9c8d-0e1f2a3b4c5d",
  clientSecret: "x",
  subscriptionId: "6f1c3b7e-2d4a-4f5b-9c8d-0e1f2a3b4c5d",
  resourceGroup: "rg",
  serviceName: "apim",
};
const aad = (description: string, error = "invalid_client") => ({
  name: "AuthenticationError",
  statusCode: 401,
  errorResponse: { error, errorDescription: description },
});
const arm = (code: string, statusCode: number) => ({ name: "RestError", code, statusCode, message: `${code} from the test double` });

describe("Azure failures", () => {
  it.each([
    ["token", aad("AADSTS7000215: Invalid client secret provided."), "clientSecret"],
    ["token", aad("AADSTS700016: Application with identifier was not found in the directory.", "unauthorized_client"), "clientId"],
    ["token", aad("AADSTS90002: Tenant 'contoso' not found.", "invalid_request"), "tenantId"],
    ["token", Object.assign(new Error("getaddrinfo ENOTFOUND login.microsoftonline.com"), { code: "ENOTFOUND" }), "tenantId"],
    ["management", arm("ResourceGroupNotFound", 404), "resourceGroup"],
    ["management", arm("ResourceNotFound", 404), "serviceName"],
    ["management", arm("SubscriptionNotFound", 404), "subscriptionId"],
    ["management", arm("AuthorizationFailed", 403), "clientId"],
  ] as const)("%s: maps %j onto the right field", (phase, error, field) => {
    const result = describeAzureFailure(error, CONFIG, phase);
    expect(result.ok).toBe(false);
    expect(Object.keys(result.fieldErrors ?? {})).toEqual([field]);
  });

  it("puts an unreachable endpoint override on its field, and throttling on none", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(describeAzureFailure(refused, { ...CONFIG, endpoint: "https://127.0.0.1:9" }, "management").fieldErrors?.endpoint).toMatch(
      /Could not reach Azure Resource Manager at https:\/\/127.0.0.1:9: the connection was refused/,
    );
    expect(describeAzureFailure(arm("TooManyRequests", 429), CONFIG, "management")).toEqual({
      ok: false,
      message: "Azure is throttling requests. Try again in a minute.",
    });
  });
});
