import { getJwks } from "@/lib/services/keys/signing-keys";

export const dynamic = "force-dynamic";

export async function GET() {
  return Response.json(await getJwks(), { headers: { "cache-control": "public, max-age=60" } });
}
