import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { BUILTIN_KEY_MANAGER_ID, keyManagers } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import type { ConnectionTestView } from "@/lib/services/environments/test-environment";
import { getKeyManagerRowOrThrow } from "./get-key-manager";
import { discoverProvider } from "./provider";

/**
 * Reads the discovery document and the JWKS again and says whether they still match what is
 * stored (a moved JWKS or token endpoint is reported, not silently taken over).
 */
export async function testKeyManager(id: string, ctx: ServiceContext): Promise<ConnectionTestView> {
  assertCan(ctx, "environments:write");
  const started = new Date();
  if (id === BUILTIN_KEY_MANAGER_ID) {
    return {
      ok: true,
      message: "The built-in key manager runs in this server.",
      errors: [],
      testedAt: started.toISOString(),
      durationMs: 0,
    };
  }
  const row = await getKeyManagerRowOrThrow(id);
  let ok = true;
  let message: string;
  const errors: ConnectionTestView["errors"] = [];
  try {
    const metadata = await discoverProvider(row.issuer);
    const moved = (
      [
        ["jwksUri", metadata.jwksUri, row.jwksUri],
        ["tokenEndpoint", metadata.tokenEndpoint, row.tokenEndpoint],
        ["registrationEndpoint", metadata.registrationEndpoint, row.registrationEndpoint],
      ] as const
    ).filter(([, now, stored]) => now !== stored);
    for (const [path, now] of moved)
      errors.push({ path, message: `The provider now says ${now ?? "none"}; save the issuer again to take it.` });
    ok = moved.length === 0;
    message = ok
      ? `Discovery document and JWKS (${metadata.keys} ${metadata.keys === 1 ? "key" : "keys"}) read; the endpoints match.`
      : "The provider's endpoints changed since the key manager was saved.";
  } catch (error) {
    ok = false;
    message = error instanceof AppError ? error.message : "The provider could not be reached.";
    errors.push({ path: "issuer", message });
  }
  const db = await getDb();
  await db
    .update(keyManagers)
    .set({ lastTestAt: started, lastTestOk: ok, lastTestMessage: message.slice(0, 1000), updatedAt: row.updatedAt })
    .where(eq(keyManagers.id, id));
  return { ok, message, errors, testedAt: started.toISOString(), durationMs: Date.now() - started.getTime() };
}
