import { withGatewayToken } from "@/lib/api/gateway-handler";
import { AppError } from "@/lib/errors";
import { ingestEvents } from "@/lib/services/analytics/ingest-events";

export const dynamic = "force-dynamic";

const MAX_BATCH_BYTES = 4 * 1024 * 1024;

export const POST = withGatewayToken(async ({ req, environment }) => {
  const text = await req.text();
  if (text.length > MAX_BATCH_BYTES) throw new AppError("payload_too_large", "An events batch is limited to 4 MB.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The batch is not valid JSON.");
  }
  const result = await ingestEvents(environment, body);
  return Response.json(result, { status: result.duplicate ? 200 : 202 });
});
