import fs from "node:fs";
import path from "node:path";
import { isAppError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/services/context";
import { rotateGatewayToken } from "./rotate-gateway-token";
import { verifyGatewayToken } from "./verify-gateway-token";

const launcherCtx: ServiceContext = { actor: { id: "system", email: "system", roles: ["admin"] }, requestId: "start" };

/**
 * The token of the gateway that `npm start` runs beside the control plane, kept in the data
 * directory (mode 0600). It is issued once and reused; only when it no longer verifies (an
 * admin rotated or revoked it) does the launcher issue a new one.
 */
export async function ensureLocalGatewayToken(environment: string, dataDir: string): Promise<string> {
  const file = path.join(dataDir, `gateway-token-${environment}`);
  if (fs.existsSync(file)) {
    const token = fs.readFileSync(file, "utf8").trim();
    try {
      const env = await verifyGatewayToken(token);
      if (env.name === environment) return token;
    } catch (error) {
      if (!isAppError(error)) throw error;
    }
  }
  const { token } = await rotateGatewayToken(environment, launcherCtx);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, token, { mode: 0o600 });
  return token;
}
