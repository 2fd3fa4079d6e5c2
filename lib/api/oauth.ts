import { randomUUID } from "node:crypto";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { OAuthError } from "@/lib/services/keys/oauth-error";

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  viaBasic: boolean;
}

const MAX_FORM_BYTES = 16 * 1024;

/** Reads an application/x-www-form-urlencoded body, bounded. */
export async function readForm(req: Request): Promise<URLSearchParams> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded"))
    throw new OAuthError("invalid_request", "Send the parameters as application/x-www-form-urlencoded.");
  const text = await req.text();
  if (text.length > MAX_FORM_BYTES) throw new OAuthError("invalid_request", "The request is too large.");
  const form = new URLSearchParams(text);
  // RFC 6749 §3.2: request parameters MUST NOT be included more than once. A repeated one is
  // refused rather than resolved, since two parts of a stack could each read a different copy.
  const seen = new Set<string>();
  for (const name of form.keys()) {
    if (seen.has(name)) throw new OAuthError("invalid_request", `The parameter ${name.slice(0, 50)} is repeated.`);
    seen.add(name);
  }
  return form;
}

/**
 * client_secret_basic (RFC 6749 §2.3.1: form-encoded id and secret) or client_secret_post, never
 * both (§2.3: one authentication method per request); client assertions are not supported.
 */
export function clientCredentials(req: Request, form: URLSearchParams): ClientCredentials {
  const header = req.headers.get("authorization");
  const methods = [
    header ? "the Authorization header" : null,
    form.has("client_secret") ? "client_secret" : null,
    form.has("client_assertion") || form.has("client_assertion_type") ? "client_assertion" : null,
  ].filter(Boolean);
  if (methods.length > 1)
    throw new OAuthError("invalid_request", `Use one client authentication method per request, not ${methods.join(" and ")}.`);
  if (methods[0] === "client_assertion")
    throw new OAuthError("invalid_client", "Client assertions are not supported: use client_secret_basic or client_secret_post.");
  if (header) {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    if (!match) throw new OAuthError("invalid_client", "Malformed Authorization header.");
    const decoded = Buffer.from(match[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw new OAuthError("invalid_client", "Malformed Authorization header.");
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, " "));
      } catch {
        throw new OAuthError("invalid_client", "Malformed Authorization header.");
      }
    };
    const clientId = decode(decoded.slice(0, colon));
    // A client_id beside Basic credentials is not a second method, but it must name the same client.
    const bodyId = form.get("client_id");
    if (bodyId !== null && bodyId !== clientId)
      throw new OAuthError("invalid_request", "client_id differs from the client in the Authorization header.");
    return { clientId, clientSecret: decode(decoded.slice(colon + 1)), viaBasic: true };
  }
  return { clientId: form.get("client_id") ?? "", clientSecret: form.get("client_secret") ?? "", viaBasic: false };
}

/** Runs an OAuth2 endpoint: RFC 6749 error bodies, no caching. */
export async function oauthEndpoint(run: () => Promise<Response>, basicChallenge = true): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    const headers: Record<string, string> = { "cache-control": "no-store", pragma: "no-cache" };
    if (error instanceof OAuthError) {
      if (error.status === 401 && basicChallenge) headers["www-authenticate"] = 'Basic realm="meridian"';
      return Response.json({ error: error.error, error_description: error.description }, { status: error.status, headers });
    }
    const requestId = randomUUID();
    if (!isAppError(error)) logger.error({ err: error, requestId }, "oauth endpoint failed");
    return Response.json(
      { error: "server_error", error_description: `Unexpected error (request ${requestId}).` },
      { status: 500, headers },
    );
  }
}
