import { randomBytes, randomUUID } from "node:crypto";
import type { EmulatorStore } from "./store";

/**
 * Microsoft Entra ID as MSAL sees it: the tenant's OpenID metadata, instance discovery, and the
 * client-credentials token endpoint, with Entra's error bodies (AADSTS codes) for a wrong
 * tenant, client or secret.
 */

export interface EmulatorClient {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface EntraAnswer {
  status: number;
  body: unknown;
}

const TOKEN_TTL_SECONDS = 3599;

function aadError(status: number, error: string, code: number, description: string): EntraAnswer {
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}

function metadata(baseUrl: string, tenant: string) {
  const root = `${baseUrl}/${tenant}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${baseUrl}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${root}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "tid"],
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
  };
}

/** Answers the Entra paths, or undefined when the path is not one of them. */
export function handleEntra(
  store: EmulatorStore,
  clients: EmulatorClient[],
  baseUrl: string,
  method: string,
  url: URL,
  form: URLSearchParams | undefined,
): EntraAnswer | undefined {
  const path = url.pathname;
  if (method === "GET" && /^\/(common|organizations)\/discovery\/instance$/.test(path)) {
    const host = new URL(baseUrl).host;
    return {
      status: 200,
      body: {
        tenant_discovery_endpoint: `${baseUrl}/common/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      },
    };
  }
  const meta = /^\/([^/]+)(?:\/v2\.0)?\/\.well-known\/openid-configuration$/.exec(path);
  if (meta && method === "GET") {
    const tenant = decodeURIComponent(meta[1]);
    if (tenant !== "common" && tenant !== "organizations" && !clients.some((c) => c.tenantId === tenant)) {
      return aadError(
        400,
        "invalid_tenant",
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    return { status: 200, body: metadata(baseUrl, tenant) };
  }
  const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
  if (!token) return undefined;
  if (method !== "POST" || !form)
    return aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
  const tenant = decodeURIComponent(token[1]);
  if (!clients.some((c) => c.tenantId === tenant)) {
    return aadError(
      400,
      "invalid_request",
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }
  if (form.get("grant_type") !== "client_credentials")
    return aadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
  const clientId = form.get("client_id") ?? "";
  const client = clients.find((c) => c.tenantId === tenant && c.clientId === clientId);
  if (!client) {
    return aadError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
    );
  }
  if (form.get("client_secret") !== client.clientSecret) {
    return aadError(
      401,
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    );
  }
  const scope = form.get("scope") ?? "";
  if (!scope.split(" ").some((s) => s.endsWith("/.default"))) {
    return aadError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`,
    );
  }
  const accessToken = randomBytes(32).toString("base64url");
  store.tokens.set(accessToken, Date.now() + TOKEN_TTL_SECONDS * 1000);
  return {
    status: 200,
    body: { token_type: "Bearer", expires_in: TOKEN_TTL_SECONDS, ext_expires_in: TOKEN_TTL_SECONDS, access_token: accessToken },
  };
}
