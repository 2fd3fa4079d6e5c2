import { config } from "@/lib/config";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-static";

export function GET() {
  return Response.json(buildOpenApiDocument(config.version));
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
