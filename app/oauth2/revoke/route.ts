import { clientCredentials, oauthEndpoint, readForm } from "@/lib/api/oauth";
import { revokeAccessToken } from "@/lib/services/keys/revoke-access-token";

export const dynamic = "force-dynamic";

export function POST(req: Request) {
  return oauthEndpoint(async () => {
    const form = await readForm(req);
    await revokeAccessToken({
      token: form.get("token") ?? undefined,
      tokenTypeHint: form.get("token_type_hint") ?? undefined,
      ...clientCredentials(req, form),
    });
    return new Response(null, { status: 200, headers: { "cache-control": "no-store" } });
  });
}
