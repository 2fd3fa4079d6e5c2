import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { resolveTryItTarget, tryItHeaders } from "@/lib/domain/try-it/target";
import { AppError } from "@/lib/errors";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { listGatewayEndpoints, loadCatalogApiOrThrow } from "./get-catalog-api";

export const tryOperationSchema = z.object({
  apiId: z.string().min(1).max(64),
  base: z.string().min(1).max(2048),
  method: z.string().min(1).max(10),
  path: z.string().min(1).max(2048),
  params: z.record(z.string().max(200), z.string().max(2048)).default({}),
  query: z.string().max(4096).default(""),
  headers: z
    .array(z.tuple([z.string().max(100), z.string().max(8192)]))
    .max(10)
    .default([]),
  body: z
    .string()
    .max(512 * 1024)
    .optional(),
});
export type TryOperationInput = z.input<typeof tryOperationSchema>;

export interface TryOperationResult {
  status: number;
  statusText: string;
  durationMs: number;
  headers: Array<[string, string]>;
  body: string;
  truncated: boolean;
}

const TIMEOUT_MS = 30_000;
const MAX_BODY_BYTES = 256 * 1024;

/**
 * Sends one Try it request from the portal's server to a gateway that serves the API, and
 * answers what the gateway answered. Going through the server makes Try it independent of the
 * API's CORS settings, which stay the publisher's choice for other origins.
 *
 * Not an open proxy: the caller is signed in to the developer portal and may see the API; the
 * URL is one of the API's gateway URLs that the catalog shows this caller (an environment's
 * public URL set by an admin, or the invoke URL a vendor returned) plus one of the API's
 * operations, built by the pure rule in lib/domain; redirects are answered, never followed; only
 * the credential and the body's type are passed on (never the portal's cookies); time and size
 * are bounded. The gateway then checks the credential, the subscription and the limits as for
 * any caller.
 */
export async function tryOperation(input: TryOperationInput, ctx: ServiceContext): Promise<TryOperationResult> {
  assertCan(ctx, "portal:developer");
  const values = parseInput(tryOperationSchema, input);
  const db = await getDb();
  const api = await loadCatalogApiOrThrow(db, values.apiId, ctx.actor);
  const gateways = await listGatewayEndpoints(db, api, ctx.actor);
  const target = resolveTryItTarget(
    gateways.flatMap((g) => g.urls),
    api.operations,
    values,
  );
  if (!target.ok) throw new AppError("bad_request", target.message);
  const hasBody = values.body !== undefined && !["GET", "HEAD"].includes(target.method);

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const started = performance.now();
  try {
    const response = await fetch(target.url, {
      method: target.method,
      headers: [["user-agent", "Meridian Try it"], ...tryItHeaders(values.headers, api.security.apiKeyHeader)],
      body: hasBody ? values.body : undefined,
      redirect: "manual",
      cache: "no-store",
      signal: controller.signal,
    });
    const { text, truncated } = await readBounded(response, controller);
    return {
      status: response.status,
      statusText: response.statusText,
      durationMs: Math.round(performance.now() - started),
      headers: [...response.headers.entries()],
      body: text,
      truncated,
    };
  } catch (error) {
    if (controller.signal.aborted)
      throw new AppError("upstream_timeout", `The gateway did not answer within ${TIMEOUT_MS / 1000} seconds.`);
    const code = (error as { cause?: { code?: string } }).cause?.code;
    throw new AppError("upstream_unavailable", `The gateway at ${target.url.origin} could not be reached${code ? ` (${code})` : ""}.`);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads at most MAX_BODY_BYTES of the answer; the rest is cut off (the console says so), not buffered. */
async function readBounded(response: Response, controller: AbortController): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: "", truncated: false };
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > MAX_BODY_BYTES) {
      chunks.push(value.subarray(0, MAX_BODY_BYTES - total));
      truncated = true;
      await reader.cancel().catch(() => {});
      controller.abort();
      break;
    }
    chunks.push(value);
    total += value.byteLength;
  }
  return { text: Buffer.concat(chunks).toString("utf8"), truncated };
}
