import { afterEach, describe, expect, it } from "vitest";
import { sendJson, startTestServer, testContext, type TestServer } from "../test-server";
import { awsConnector } from "./connector";
import { awsConfigSchema } from "./descriptor";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const KEYS = { region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

/** API Gateway's REST protocol: errors carry their type in x-amzn-ErrorType. */
async function apiGateway(status: number, errorType?: string) {
  server = await startTestServer((_req, res) =>
    errorType
      ? sendJson(res, status, { message: `${errorType} from the test double` }, { "x-amzn-ErrorType": errorType })
      : sendJson(res, status, { item: [] }),
  );
  return server;
}

describe("AWS connection test", () => {
  it("signs GetRestApis with limit 1 and reports success", async () => {
    const s = await apiGateway(200);
    const result = await awsConnector.testConnection({ ...KEYS, endpoint: s.url }, testContext());
    expect(result).toMatchObject({ ok: true, message: expect.stringMatching(/^API Gateway in eu-west-1 accepted the credentials/) });
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0].url).toBe("/restapis?limit=1");
    expect(String(s.requests[0].headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/apigateway\/aws4_request/,
    );
  });

  it.each([
    ["UnrecognizedClientException", 403, "accessKeyId", /does not recognise this access key id/],
    ["InvalidSignatureException", 403, "secretAccessKey", /secret access key does not belong/],
    ["AccessDeniedException", 403, "accessKeyId", /apigateway:GET/],
  ])("maps %s onto the %s field", async (errorType, status, field, message) => {
    const s = await apiGateway(status, errorType);
    const result = await awsConnector.testConnection({ ...KEYS, endpoint: s.url }, testContext());
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(message);
    expect(Object.keys(result.fieldErrors ?? {})).toEqual([field]);
  });

  it("reports throttling without blaming a field", async () => {
    const s = await apiGateway(429, "TooManyRequestsException");
    const result = await awsConnector.testConnection({ ...KEYS, endpoint: s.url }, testContext());
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/throttling/) });
    expect(result.fieldErrors).toBeUndefined();
  });

  it("puts an unreachable endpoint on the endpoint field, fast", async () => {
    const started = Date.now();
    const result = await awsConnector.testConnection({ ...KEYS, endpoint: "http://127.0.0.1:9" }, testContext());
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.endpoint).toBe("Could not reach the endpoint http://127.0.0.1:9: the connection was refused.");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("says when an endpoint is not API Gateway", async () => {
    server = await startTestServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<html>Not here</html>");
    });
    const result = await awsConnector.testConnection({ ...KEYS, endpoint: server.url }, testContext());
    expect(result.fieldErrors?.endpoint).toMatch(/does not answer like API Gateway/);
  });

  it("stops when the signal aborts", async () => {
    server = await startTestServer(() => {
      // Never answers.
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await awsConnector.testConnection({ ...KEYS, endpoint: server.url }, testContext(controller.signal));
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.endpoint).toMatch(/no answer came within the time limit/);
  });

  it("blames the role when assuming it is refused", async () => {
    // STS speaks the query protocol: XML errors.
    server = await startTestServer((_req, res) => {
      res.writeHead(403, { "content-type": "text/xml" });
      res.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform sts:AssumeRole</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
      );
    });
    const result = await awsConnector.testConnection(
      { ...KEYS, roleArn: "arn:aws:iam::123456789012:role/meridian", endpoint: server.url },
      testContext(),
    );
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.roleArn).toMatch(/refused to let these credentials assume the role/);
    expect(server.requests[0].method).toBe("POST");
  });
});

describe("AWS invoke URL template", () => {
  it.each([
    ["http://127.0.0.1:4567/restapis/{restApiId}/{stage}/_user_request_", true],
    ["https://api.example.com/{stage}", true],
    ["https://api.example.com", true],
    ["https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}", true],
    ["https://api.example.com/{tenant}/{stage}", false],
    ["ftp://{restApiId}.example.com", false],
    ["{restApiId}", false],
  ])("%s is %s", (invokeUrlTemplate, valid) => {
    expect(awsConfigSchema.safeParse({ ...KEYS, invokeUrlTemplate }).success).toBe(valid);
  });
});
