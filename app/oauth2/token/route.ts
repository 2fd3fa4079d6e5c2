import { clientCredentials, oauthEndpoint, readForm } from "@/lib/api/oauth";
import { issueClientCredentialsToken } from "@/lib/services/keys/issue-token";

export const dynamic = "force-dynamic";

export function POST(req: Request) {
  return oauthEndpoint(async () => {
    const form = await readForm(req);
    const credentials = clientCredentials(req, form);
    const token = await issueClientCredentialsToken({
      grantType: form.get("grant_type") ?? undefined,
      scope: form.get("scope") ?? undefined,
      ...credentials,
    });
    return Response.json(token, { headers: { "cache-control": "no-store", pragma: "no-cache" } });
  });
}
