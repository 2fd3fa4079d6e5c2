import { authorizationServerMetadata, isIssuerPath, METADATA_HEADERS } from "@/lib/services/keys/server-metadata";

export const dynamic = "force-dynamic";

/** RFC 8414 authorization server metadata, at the root or after the issuer's path. */
export async function GET(_req: Request, { params }: { params: Promise<{ issuerPath?: string[] }> }) {
  const { issuerPath = [] } = await params;
  if (!isIssuerPath(issuerPath))
    return Response.json({ error: "not_found", error_description: "No authorization server has this issuer path." }, { status: 404 });
  return Response.json(authorizationServerMetadata(), { headers: METADATA_HEADERS });
}
