import { apiHandler } from "@/lib/api/handler";
import { readDefinitionBody } from "@/lib/services/apis/definition-body";
import { getApiDefinition } from "@/lib/services/apis/get-api";
import { updateDefinition } from "@/lib/services/apis/update-definition";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string };

/** The stored OpenAPI 3.x document; `?format=source` answers the text as last uploaded. */
export const GET = apiHandler<P>({ permission: "apis:read" }, async ({ req, ctx, params }) => {
  const definition = await getApiDefinition(params.id, ctx);
  if (new URL(req.url).searchParams.get("format") === "source") {
    return new Response(definition.source, {
      headers: {
        "content-type": definition.format === "json" ? "application/json" : "application/yaml; charset=utf-8",
        "cache-control": "no-store",
      },
    });
  }
  return definition.document;
});

/** Replaces the document (JSON or YAML body, or a multipart `definition` part); `?dryRun=true` only validates. */
export const PUT = apiHandler<P>({ permission: "apis:write" }, async ({ req, ctx, params }) => {
  const dryRun = ["1", "true"].includes(new URL(req.url).searchParams.get("dryRun") ?? "");
  return updateDefinition(params.id, await readDefinitionBody(req), ctx, { dryRun });
});

export const { POST, PATCH, DELETE, OPTIONS } = otherMethods("GET", "PUT");
