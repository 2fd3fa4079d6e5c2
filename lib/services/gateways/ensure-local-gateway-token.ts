import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isAppError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/services/context";
import { createGatewayToken } from "./create-gateway-token";
import { verifyGatewayToken } from "./verify-gateway-token";

const launcherCtx: ServiceContext = { actor: { id: "system", email: "system", roles: ["admin"] }, requestId: "start" };

/** The name `npm start` gives the token of the gateway it runs (a suffix is added when taken). */
export function localGatewayTokenName(host = os.hostname()): string {
  return `npm start on ${host.replace(/[^\w.:@()/-]/g, "-")}`.slice(0, 56);
}

/**
 * The token of the gateway that `npm start` runs beside the control plane, kept in the data
 * directory (mode 0600). It is a named token of its own, issued once and reused; when it no
 * longer verifies (an admin revoked it) a new named token is issued. The launcher never
 * revokes or rotates any token: gateways elsewhere with their own tokens keep syncing.
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
  const base = localGatewayTokenName();
  let issued: string | undefined;
  // Another data directory on this host may hold a token of the same name: never replace it.
  for (let attempt = 1; !issued; attempt++) {
    const name = attempt === 1 ? base : `${base} (${attempt})`;
    try {
      issued = (await createGatewayToken(environment, { name }, launcherCtx)).token;
    } catch (error) {
      if (!(isAppError(error) && error.code === "conflict" && error.message.includes("named") && attempt < 50)) throw error;
    }
  }
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, issued, { mode: 0o600 });
  return issued;
}
