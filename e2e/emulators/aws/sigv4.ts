import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type http from "node:http";
import { AwsError } from "./errors";

/**
 * Checks a request's AWS Signature Version 4 the way AWS does: recompute the canonical request
 * from what arrived, sign it with the secret that belongs to the access key, compare.
 */

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
/** How far a signing time may be from the emulator's clock, as on AWS. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

/** RFC 3986 encoding, as the signer applies it. */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The path as sent, normalized, then encoded once more (every service but S3 double-encodes). */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join("/")}${segments.length && rawPath.endsWith("/") ? "/" : ""}`;
  return escapeUri(normalized).replace(/%2F/g, "/");
}

function canonicalQuery(rawQuery: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : safeDecode(part.slice(eq + 1));
    if (key.toLowerCase() === "x-amz-signature") continue;
    pairs.push([escapeUri(key), escapeUri(value)]);
  }
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value.join(",") : value).trim().replace(/\s+/g, " ");
}

const missingToken = () => new AwsError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
const badSignature = (detail = "") =>
  new AwsError(
    403,
    "InvalidSignatureException",
    `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.${detail}`,
  );

/** Throws the AwsError AWS would answer with; returns the access key id when the signature holds. */
export function verifySignature(
  req: http.IncomingMessage,
  body: Buffer,
  credentials: Credential[],
  service = "apigateway",
  now = Date.now(),
): string {
  const authorization = headerValue(req, "authorization");
  if (!authorization) throw missingToken();
  const m = AUTH.exec(authorization);
  if (!m)
    throw new AwsError(
      403,
      "IncompleteSignatureException",
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${authorization.split(" ")[0]}`,
    );
  const [, accessKeyId, date, region, signedService, signedHeaders, signature] = m;
  const credential = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!credential) throw new AwsError(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
  if (signedService !== service)
    throw new AwsError(403, "InvalidSignatureException", `Credential should be scoped to correct service: '${service}'.`);

  const amzDate = headerValue(req, "x-amz-date");
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate) || !amzDate.startsWith(date)) throw badSignature();
  const signedAt = Date.UTC(
    +amzDate.slice(0, 4),
    +amzDate.slice(4, 6) - 1,
    +amzDate.slice(6, 8),
    +amzDate.slice(9, 11),
    +amzDate.slice(11, 13),
    +amzDate.slice(13, 15),
  );
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw new AwsError(
      403,
      "InvalidSignatureException",
      `Signature expired: ${amzDate} is now earlier or later than the allowed 15 minutes of the server time.`,
    );
  }

  const names = signedHeaders.split(";");
  if (!names.includes("host")) throw badSignature();
  const bodyHash = sha256(body);
  const claimedHash = headerValue(req, "x-amz-content-sha256");
  if (claimedHash && claimedHash !== "UNSIGNED-PAYLOAD" && claimedHash !== bodyHash) throw badSignature();
  const canonicalHeaders = names.map((n) => `${n}:${headerValue(req, n) ?? ""}\n`).join("");

  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  const canonicalRequest = [
    req.method ?? "GET",
    canonicalPath(q < 0 ? rawUrl : rawUrl.slice(0, q)),
    canonicalQuery(q < 0 ? "" : rawUrl.slice(q + 1)),
    canonicalHeaders,
    signedHeaders,
    claimedHash ?? bodyHash,
  ].join("\n");
  const scope = `${date}/${region}/${signedService}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${credential.secretAccessKey}`, date), region), signedService), "aws4_request");
  const expected = createHmac("sha256", key).update(stringToSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) throw badSignature();
  return accessKeyId;
}
