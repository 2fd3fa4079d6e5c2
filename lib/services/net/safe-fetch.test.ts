import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { isPrivateAddress, safeFetch, type Resolver } from "./safe-fetch";

// Every test talks to a server on the loopback interface of this machine, or to none at all.
let server: http.Server;
let port: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/doc") return void res.end('{"openapi":"3.0.3"}');
    if (req.url === "/redirect-home") return void res.writeHead(302, { location: "/doc" }).end();
    if (req.url === "/big") return void res.end("x".repeat(5000));
    if (req.url === "/slow") return void setTimeout(() => res.end("late"), 2000);
    if (req.url === "/missing") return void res.writeHead(404).end();
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const resolveTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "ff02::1",
    "[::1]",
  ])("refuses %s", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])("accepts %s", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe("safeFetch", () => {
  it("refuses loopback and private addresses by default, literal or resolved", async () => {
    expect((await failure(safeFetch(`http://127.0.0.1:${port}/doc`, { allowPrivate: false }))).message).toMatch(
      /private, loopback or link-local/,
    );
    expect((await failure(safeFetch("http://[::1]/doc", { allowPrivate: false }))).code).toBe("bad_request");
    expect(
      (await failure(safeFetch("http://metadata.example/latest", { allowPrivate: false, resolve: resolveTo("169.254.169.254") }))).message,
    ).toMatch(/169\.254\.169\.254/);
  });

  it("refuses a host when any one of its addresses is private", async () => {
    const error = await failure(
      safeFetch("http://mixed.example/doc", { allowPrivate: false, resolve: resolveTo("93.184.216.34", "10.0.0.5") }),
    );
    expect(error.message).toMatch(/10\.0\.0\.5/);
  });

  it("checks the address again when connecting (DNS answers that change)", async () => {
    let calls = 0;
    const rebinding: Resolver = async () => [{ address: calls++ === 0 ? "93.184.216.34" : "127.0.0.1", family: 4 }];
    const error = await failure(safeFetch(`http://rebind.example:${port}/doc`, { allowPrivate: false, resolve: rebinding }));
    expect(error.message).toMatch(/127\.0\.0\.1/);
  });

  it("refuses other schemes and URLs with credentials", async () => {
    expect((await failure(safeFetch("file:///etc/passwd"))).message).toMatch(/Only http and https/);
    expect((await failure(safeFetch("ftp://example.com/x"))).code).toBe("bad_request");
    expect((await failure(safeFetch("http://user:pw@example.com/"))).message).toMatch(/credentials/);
    expect((await failure(safeFetch("not a url"))).code).toBe("bad_request");
  });

  it("fetches when private URLs are allowed, following redirects", async () => {
    const result = await safeFetch(`http://127.0.0.1:${port}/redirect-home`, { allowPrivate: true });
    expect(result.body.toString()).toBe('{"openapi":"3.0.3"}');
    expect(result.url).toBe(`http://127.0.0.1:${port}/doc`);
  });

  it("checks every redirect hop like the first request", async () => {
    const redirector = http.createServer((_req, res) => res.writeHead(302, { location: "file:///etc/passwd" }).end());
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
    const redirectPort = (redirector.address() as AddressInfo).port;
    const error = await failure(safeFetch(`http://127.0.0.1:${redirectPort}/`, { allowPrivate: true }));
    expect(error.message).toMatch(/Only http and https/);
    await new Promise<void>((resolve) => redirector.close(() => resolve()));
  });

  it("stops at the size limit, the timeout and error statuses", async () => {
    expect((await failure(safeFetch(`http://127.0.0.1:${port}/big`, { allowPrivate: true, maxBytes: 1000 }))).code).toBe(
      "payload_too_large",
    );
    expect((await failure(safeFetch(`http://127.0.0.1:${port}/slow`, { allowPrivate: true, timeoutMs: 200 }))).code).toBe(
      "upstream_timeout",
    );
    expect((await failure(safeFetch(`http://127.0.0.1:${port}/missing`, { allowPrivate: true }))).message).toMatch(/404/);
  });
});
