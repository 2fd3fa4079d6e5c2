import { METADATA_HEADERS, openidConfiguration } from "@/lib/services/keys/server-metadata";

export const dynamic = "force-dynamic";

/** Discovery for gateways and clients (validate-jwt policies, the jwt plugin, …). */
export function GET() {
  return Response.json(openidConfiguration(), { headers: METADATA_HEADERS });
}
