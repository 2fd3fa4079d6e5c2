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
  return (req.headers.get("content-type") || "").toLowerCase().startsWith("multipart/form-data");
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
  const text = typeof value === "string" ? value : await value.text();
  if (Buffer.byteLength(text) > maxDefinitionBytes()) throw tooLargeError();
  return text;
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * POST /api/v1/apis: JSON `{ name, version, context, …, definition?, definitionUrl? }`, or a
 * multipart form with the document as the `definition` (or `file`) part and either a
 * `metadata` part holding the same JSON fields or plain fields (name, version, context…).
 */
export async function readCreateApiBody(req: Request): Promise<Record<string, unknown>> {
  const bytes = await readBounded(req, bodyLimit());
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
    const definition = await fileText(form.get("definition") ?? form.get("file"));
    return definition !== undefined ? { ...fields, definition } : fields;
  }
  const text = decoder.decode(bytes);
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new AppError("bad_request", "The request body must be a JSON object.");
  const record = body as Record<string, unknown>;
  if (typeof record.definition === "string" && Buffer.byteLength(record.definition) > maxDefinitionBytes()) throw tooLargeError();
  return record;
}

/** PUT /api/v1/apis/{id}/definition: the document itself (JSON or YAML), or a multipart upload. */
export async function readDefinitionBody(req: Request): Promise<string> {
  const bytes = await readBounded(req, bodyLimit());
  if (isMultipart(req)) {
    const form = await multipart(req, bytes);
    const text = await fileText(form.get("definition") ?? form.get("file"));
    if (text === undefined) throw new AppError("bad_request", "Send the document as the `definition` part.");
    return text;
  }
  if (bytes.byteLength > maxDefinitionBytes()) throw tooLargeError();
  return decoder.decode(bytes);
}
