import { otherMethods } from "@/lib/api/methods";
import { projectJsonSchema } from "@/lib/domain/project/schema";

/** The project file's JSON Schema: public, like the management API's own description. */
export function GET(req: Request): Response {
  const origin = new URL(req.url).origin;
  return Response.json(projectJsonSchema(origin), {
    headers: { "content-type": "application/schema+json", "cache-control": "public, max-age=300" },
  });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
