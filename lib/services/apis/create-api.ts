import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { apiLifecycleEvents, apis, type ApiCors, type ApiSecurity } from "@/lib/db/schema";
import { buildScratchDocument } from "@/lib/domain/openapi/scratch";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { apiMetaColumns, contextHolder, contextTakenError, ownersOf } from "./access";
import { toApiDetail, type ApiDetail } from "./api-dto";
import { definitionText, prepareOrThrow } from "./definition-input";
import { apiContextSchema, apiNameSchema, apiVersionSchema, createApiSchema, type CreateApiInput } from "./schemas";
import { apiSearchText } from "./search-text";
import { resolveTierNames } from "./tiers";

export const DEFAULT_SECURITY: ApiSecurity = { scheme: "oauth2", apiKeyHeader: "apikey" };
export const DEFAULT_CORS: ApiCors = {
  enabled: false,
  origins: [],
  methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
  headers: ["authorization", "content-type"],
  credentials: false,
};

/** A context from a name: "Pet Store API" → /pet-store-api. */
export function contextFromName(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `/${slug || "api"}`;
}

function required<T>(
  schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false } },
  value: unknown,
  field: string,
  message: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("validation_failed", message, { fieldErrors: { [field]: message } });
  return parsed.data;
}

/**
 * Creates an API in CREATED state, owned by the caller: from an OpenAPI document (text, object
 * or URL), or from scratch (a few operations). Name, version and context default to the
 * document's title and version.
 */
export async function createApi(input: CreateApiInput, ctx: ServiceContext, internal: { origin?: string } = {}): Promise<ApiDetail> {
  const actor = assertCan(ctx, "apis:write");
  const values = parseInput(createApiSchema, input);
  const text = await definitionText(values);
  const imported = text !== undefined;
  let prepared;
  if (imported) {
    prepared = await prepareOrThrow(text);
  } else {
    const name = required(apiNameSchema, values.name, "name", "Give the API a name.");
    const version = required(apiVersionSchema, values.version, "version", "Give a version, such as 1.0.0.");
    const scratch = buildScratchDocument({ name, version, description: values.description, operations: values.operations ?? [] });
    prepared = await prepareOrThrow(JSON.stringify(scratch, null, 2));
  }
  const name = required(apiNameSchema, values.name ?? prepared.info.title, "name", "Give the API a name (the document has no info.title).");
  const version = required(
    apiVersionSchema,
    values.version ?? prepared.info.version?.replace(/\s+/g, "-"),
    "version",
    "Give a version: the document's info.version cannot be used as one.",
  );
  const context = required(apiContextSchema, values.context ?? contextFromName(name), "context", "Give a context such as /pets.");
  const allowedTiers = await resolveTierNames(values.allowedTiers ?? []);

  const db = await getDb();
  const holder = await contextHolder(db, context, version);
  if (holder) throw contextTakenError(context, version, holder);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(apis)
        .values({
          id: newId("api"),
          name,
          description: values.description ?? prepared.info.description ?? "",
          version,
          context,
          tags: values.tags ?? [],
          searchText: apiSearchText({ name, context, tags: values.tags ?? [] }),
          visibility: values.visibility ?? "public",
          visibleRoles: values.visibleRoles ?? [],
          endpoints: {
            production: values.endpoints?.production ?? prepared.info.serverUrl,
            sandbox: values.endpoints?.sandbox ?? null,
            overrides: values.endpoints?.overrides ?? {},
          },
          security: values.security ?? DEFAULT_SECURITY,
          rateLimit: values.rateLimit ?? null,
          cors: values.cors ?? DEFAULT_CORS,
          allowedTiers,
          owners: [actor.id],
          origin: internal.origin ?? "meridian",
          definition: prepared.document,
          definitionSource: prepared.source,
          definitionFormat: prepared.format,
          sourceSpec: prepared.spec,
          operations: prepared.operations,
          operationCount: prepared.operations.length,
          createdBy: actor.id,
        })
        .returning(apiMetaColumns);
      await tx.insert(apiLifecycleEvents).values({
        id: newId("lce"),
        apiId: row.id,
        action: "create",
        fromState: "CREATED",
        toState: "CREATED",
        actorId: actor.id,
        actorEmail: actor.email,
      });
      await writeAudit(tx, ctx, {
        action: "api.create",
        objectType: "api",
        objectId: row.id,
        details: {
          name,
          version,
          context,
          source: imported ? (values.definitionUrl ? "url" : "document") : "scratch",
          spec: prepared.spec,
          operations: prepared.operations.length,
        },
      });
      return toApiDetail(row, await ownersOf(tx, row.owners));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw contextTakenError(context, version, await contextHolder(db, context, version));
    throw error;
  }
}
