import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

/**
 * A real OpenID provider (the certified `oidc-provider` library) for tests and the browser
 * tests: client credentials, JWT access tokens for one resource (the audience), dynamic client
 * registration (RFC 7591) behind an initial access token and its management (RFC 7592).
 */

export interface OidcProviderOptions {
  port?: number;
  host?: string;
  /** The audience of the access tokens it issues. */
  audience?: string;
  initialAccessToken?: string;
  /** Seconds an access token lives. */
  accessTokenTtl?: number;
  /** Clients that exist before any registration. */
  clients?: Array<{ clientId: string; clientSecret: string }>;
  /** Without registration (a provider that offers none). */
  registration?: boolean;
}

export interface RunningOidcProvider {
  issuer: string;
  audience: string;
  initialAccessToken: string;
  provider: Provider;
  /** The clients registered dynamically and not deleted since: client id → client_name. */
  registeredClients: Map<string, string>;
  close: () => Promise<void>;
}

export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<RunningOidcProvider> {
  const host = options.host ?? "127.0.0.1";
  const audience = options.audience ?? "https://api.meridian.test";
  const initialAccessToken = options.initialAccessToken ?? "test-initial-access-token";
  let handler: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host}:${port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: `k-${port}-${Date.now()}` };
  const ttl = options.accessTokenTtl ?? 300;

  const provider = new Provider(issuer, {
    jwks: { keys: [jwk] },
    clients: (options.clients ?? []).map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
    })),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      registration: options.registration === false ? { enabled: false } : { enabled: true, initialAccessToken },
      registrationManagement: { enabled: options.registration !== false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: "", audience, accessTokenFormat: "jwt", accessTokenTTL: ttl }),
      },
    },
    ttl: { ClientCredentials: ttl },
  });
  const registeredClients = new Map<string, string>();
  provider.on("registration_create.success", (_ctx: unknown, client: { clientId: string; clientName?: string }) =>
    registeredClients.set(client.clientId, client.clientName ?? ""),
  );
  provider.on("registration_delete.success", (_ctx: unknown, client: { clientId: string }) => registeredClients.delete(client.clientId));
  handler = provider.callback();
  return {
    issuer,
    audience,
    initialAccessToken,
    provider,
    registeredClients,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
