import { config } from "@/lib/config";

export const dynamic = "force-dynamic";

/** Discovery for gateways and clients (validate-jwt policies, the jwt plugin, …). */
export function GET() {
  const base = config.tokenIssuer;
  return Response.json(
    {
      issuer: base,
      token_endpoint: `${base}/oauth2/token`,
      jwks_uri: `${base}/oauth2/jwks`,
      revocation_endpoint: `${base}/oauth2/revoke`,
      grant_types_supported: ["client_credentials"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      id_token_signing_alg_values_supported: ["ES256"],
      response_types_supported: ["token"],
      subject_types_supported: ["public"],
    },
    { headers: { "cache-control": "public, max-age=300" } },
  );
}
