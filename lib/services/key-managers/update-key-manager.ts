import { eq } from "drizzle-orm";
import { SECRET_MASK } from "@/lib/connectors/fields";
import { encryptSecret } from "@/lib/crypto/secrets";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { BUILTIN_KEY_MANAGER_ID, keyManagers } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { parseInput } from "@/lib/services/validate";
import { duplicate } from "./create-key-manager";
import { getKeyManagerRowOrThrow } from "./get-key-manager";
import { toKeyManagerView, type KeyManagerView } from "./key-manager-dto";
import { discoverProvider } from "./provider";
import { updateKeyManagerSchema } from "./schemas";

/** Changes a key manager; a new issuer is discovered and checked again before anything is saved. */
export async function updateKeyManager(id: string, input: unknown, ctx: ServiceContext): Promise<KeyManagerView> {
  assertCan(ctx, "environments:write");
  if (id === BUILTIN_KEY_MANAGER_ID) throw new AppError("conflict", "The built-in key manager is configured by the server's settings.");
  const values = parseInput(updateKeyManagerSchema, input);
  const current = await getKeyManagerRowOrThrow(id);
  const metadata = values.issuer && values.issuer !== current.issuer ? await discoverProvider(values.issuer) : null;
  const token = values.registrationToken;
  const keepToken = token === undefined || (typeof token === "string" && (token.trim() === "" || token === SECRET_MASK));
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .update(keyManagers)
        .set({
          ...(values.displayName !== undefined ? { displayName: values.displayName } : {}),
          ...(values.description !== undefined ? { description: values.description } : {}),
          ...(values.clientIdClaim !== undefined ? { clientIdClaim: values.clientIdClaim } : {}),
          ...(values.audiences !== undefined ? { audiences: values.audiences } : {}),
          ...(metadata
            ? {
                issuer: metadata.issuer,
                jwksUri: metadata.jwksUri,
                tokenEndpoint: metadata.tokenEndpoint,
                registrationEndpoint: metadata.registrationEndpoint,
              }
            : {}),
          ...(keepToken ? {} : { registrationTokenEncrypted: token ? encryptSecret(token) : null }),
        })
        .where(eq(keyManagers.id, id))
        .returning();
      await writeAudit(tx, ctx, {
        action: "key_manager.update",
        objectType: "key_manager",
        objectId: id,
        details: { fields: Object.keys(values).filter((k) => k !== "registrationToken" || !keepToken) },
      });
      await bumpSnapshotVersions(tx);
      return toKeyManagerView(row);
    });
  } catch (error) {
    if (isUniqueViolation(error) && metadata) throw duplicate("issuer", metadata.issuer);
    throw error;
  }
}
