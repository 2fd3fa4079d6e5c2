import {
  assertStorableText,
  assertUtf8Charset,
  decodeUtf8,
  isJsonMediaType,
  mediaTypeOf,
  unsupportedMediaType,
} from "@/lib/api/request-text";
import { AppError } from "@/lib/errors";
import { tooLargeError } from "./definition-input";
import { maxDefinitionBytes } from "./limits";

/**
 * Request bodies that carry an OpenAPI document: larger than ordinary JSON bodies, so they get
 * their own bound (the definition limit, plus room for JSON escaping and multipart framing),
 * enforced while reading, before anything is parsed.
 */
async function readBounded(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") || 0);
  if (declared > limit) throw tooLargeError();
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLargeError();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function bodyLimit(): number {
  const max = maxDefinitionBytes();
  // JSON string escaping (quotes, newlines) and multipart framing add to the document's size.
  return Math.ceil(max * 1.25) + 256 * 1024;
}

function isMultipart(req: Request): boolean {
  return mediaTypeOf(req.headers.get("content-type"))?.type === "multipart/form-data";
}

const CREATE_TYPES = ["application/json", "multipart/form-data"];
// A document goes as JSON or YAML (RFC 9512's application/yaml and the names in use before it).
const YAML_TYPES = new Set(["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "application/vnd.oai.openapi"]);
const DEFINITION_TYPES = ["application/json", "application/yaml", "multipart/form-data"];

/** Refuses a body declared as anything but the accepted types (an empty body needs no type). */
function assertMediaType(req: Request, bytes: Uint8Array, accepts: (type: string) => boolean, accepted: string[]): void {
  const mediaType = mediaTypeOf(req.headers.get("content-type"));
  if (!mediaType) {
    if (bytes.byteLength) throw unsupportedMediaType(accepted);
    return;
  }
  if (!accepts(mediaType.type)) throw unsupportedMediaType(accepted);
  if (mediaType.type !== "multipart/form-data") assertUtf8Charset(mediaType.charset, accepted);
}

async function multipart(req: Request, bytes: Uint8Array): Promise<FormData> {
  try {
    return await new Response(bytes as BodyInit, { headers: { "content-type": req.headers.get("content-type")! } }).formData();
  } catch {
    throw new AppError("bad_request", "The multipart body could not be read.");
  }
}

async function fileText(value: FormDataEntryValue | null): Promise<string | undefined> {
  if (value === null) return undefined;
  const text = typeof value === "string" ? value : decodeUtf8(new Uint8Array(await value.arrayBuffer()), "The uploaded document");
  if (Buffer.byteLength(text) > maxDefinitionBytes()) throw tooLargeError();
  assertStorableText(text, "definition");
  return text;
}

/**
 * POST /api/v1/apis: JSON `{ name, version, context, …, definition?, definitionUrl? }`, or a
 * multipart form with the document as the `definition` (or `file`) part and either a
 * `metadata` part holding the same JSON fields or plain fields (name, version, context…).
 */
export async function readCreateApiBody(req: Request): Promise<Record<string, unknown>> {
  const bytes = await readBounded(req, bodyLimit());
  assertMediaType(req, bytes, (type) => type === "multipart/form-data" || isJsonMediaType(type), CREATE_TYPES);
  if (isMultipart(req)) {
    const form = await multipart(req, bytes);
    let fields: Record<string, unknown> = {};
    const metadata = form.get("metadata");
    if (typeof metadata === "string" && metadata.trim()) {
      try {
        fields = JSON.parse(metadata) as Record<string, unknown>;
      } catch {
        throw new AppError("bad_request", "The metadata part is not valid JSON.");
      }
    } else {
      for (const key of ["name", "version", "context", "description", "definitionUrl"]) {
        const v = form.get(key);
        if (typeof v === "string" && v.trim()) fields[key] = v;
      }
    }
    assertStorableText(fields);
    const definition = await fileText(form.get("definition") ?? form.get("file"));
    return definition !== undefined ? { ...fields, definition } : fields;
  }
  const text = decodeUtf8(bytes);
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new AppError("bad_request", "The request body must be a JSON object.");
  assertStorableText(body);
  const record = body as Record<string, unknown>;
  if (typeof record.definition === "string" && Buffer.byteLength(record.definition) > maxDefinitionBytes()) throw tooLargeError();
  return record;
}

/** PUT /api/v1/apis/{id}/definition: the document itself (JSON or YAML), or a multipart upload. */
export async function readDefinitionBody(req: Request): Promise<string> {
  const bytes = await readBounded(req, bodyLimit());
  assertMediaType(
    req,
    bytes,
    (type) => type === "multipart/form-data" || isJsonMediaType(type) || YAML_TYPES.has(type) || type.endsWith("+yaml"),
    DEFINITION_TYPES,
  );
  if (isMultipart(req)) {
    const form = await multipart(req, bytes);
    const text = await fileText(form.get("definition") ?? form.get("file"));
    if (text === undefined) throw new AppError("bad_request", "Send the document as the `definition` part.");
    return text;
  }
  if (bytes.byteLength > maxDefinitionBytes()) throw tooLargeError();
  const text = decodeUtf8(bytes, "The document");
  assertStorableText(text, "definition");
  return text;
}
