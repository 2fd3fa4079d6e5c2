import { convertObj } from "swagger2openapi";
import type { JsonObject, SpecVersion } from "./types";

/**
 * Normalizes a valid document to OpenAPI 3.x for storage: Swagger 2.0 is converted to 3.0 with
 * swagger2openapi (definitions → components, body parameters → request bodies, produces and
 * consumes → media types); 3.0 and 3.1 documents are stored as they are.
 */
export async function normalizeToOpenApi3(document: JsonObject, spec: SpecVersion): Promise<JsonObject> {
  if (spec !== "swagger-2.0") return document;
  // patch: fix the small mistakes real-world 2.0 documents carry; resolve: never follow $refs
  // (external ones were refused before this point).
  const converted = await convertObj(
    structuredClone(document) as never,
    { patch: true, warnOnly: true, resolve: false, direct: false } as never,
  );
  return converted.openapi as unknown as JsonObject;
}
