import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { EnvironmentSummary } from "@/lib/services/environments/environment-dto";
import { authenticateGateway } from "@/lib/services/gateways/verify-gateway-token";
import { problemResponse } from "./problem";

/** Wraps the gateway sync API: the bearer is an environment's gateway token, never a session. */
export function withGatewayToken(
  fn: (args: { req: Request; environment: EnvironmentSummary; tokenId: string; requestId: string }) => Promise<Response>,
) {
  return async (req: Request): Promise<Response> => {
    const requestId = randomUUID();
    try {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "");
      if (!match) throw new AppError("unauthenticated", "Send the environment's gateway token as Authorization: Bearer <token>.");
      const { environment, tokenId } = await authenticateGateway(match[1]);
      return await fn({ req, environment, tokenId, requestId });
    } catch (error) {
      return problemResponse(error, requestId);
    }
  };
}
