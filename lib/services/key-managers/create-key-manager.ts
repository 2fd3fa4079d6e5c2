import { encryptSecret } from "@/lib/crypto/secrets";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { keyManagers } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { parseInput } from "@/lib/services/validate";
import { toKeyManagerView, type KeyManagerView } from "./key-manager-dto";
import { discoverProvider } from "./provider";
import { createKeyManagerSchema } from "./schemas";

export function duplicate(field: "name" | "issuer", value: string): AppError {
  const message = field === "name" ? `A key manager named "${value}" already exists.` : `The issuer ${value} is registered already.`;
  return new AppError("validation_failed", message, { fieldErrors: { [field]: message } });
}

/**
 * Registers an OpenID provider by its issuer: the discovery document and the JWKS are read and
 * checked first, so that nothing is stored for an issuer gateways could not verify.
 */
export async function createKeyManager(input: unknown, ctx: ServiceContext): Promise<KeyManagerView> {
  assertCan(ctx, "environments:write");
  const values = parseInput(createKeyManagerSchema, input);
  if (values.name === "builtin") throw duplicate("name", values.name);
  const metadata = await discoverProvider(values.issuer);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(keyManagers)
        .values({
          id: newId("kmg"),
          name: values.name,
          displayName: values.displayName ?? values.name,
          description: values.description,
          issuer: metadata.issuer,
          jwksUri: metadata.jwksUri,
          tokenEndpoint: metadata.tokenEndpoint,
          registrationEndpoint: metadata.registrationEndpoint,
          clientIdClaim: values.clientIdClaim,
          audiences: values.audiences,
          registrationTokenEncrypted: values.registrationToken ? encryptSecret(values.registrationToken) : null,
          lastTestAt: new Date(),
          lastTestOk: true,
          lastTestMessage: `Discovery document and JWKS (${metadata.keys} ${metadata.keys === 1 ? "key" : "keys"}) read.`,
          createdBy: ctx.actor?.id ?? null,
        })
        .returning();
      await writeAudit(tx, ctx, {
        action: "key_manager.create",
        objectType: "key_manager",
        objectId: row.id,
        details: { name: row.name, issuer: row.issuer },
      });
      await bumpSnapshotVersions(tx);
      return toKeyManagerView(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const message =
        String((error as { message?: string }).message ?? "") + String((error as { cause?: { message?: string } }).cause?.message ?? "");
      throw message.includes("issuer") ? duplicate("issuer", metadata.issuer) : duplicate("name", values.name);
    }
    throw error;
  }
}
