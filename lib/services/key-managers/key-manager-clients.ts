import { and, asc, eq } from "drizzle-orm";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { applications, keyManagerClients, keyManagers, type KeyManagerClientRow, type KeyManagerRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { logger } from "@/lib/log";
import { getOwnedApplicationOrThrow } from "@/lib/services/applications/get-application";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { parseInput } from "@/lib/services/validate";
import { registerKeyManagerClient, registrationClientName, resumePendingRegistration, undoRegistration } from "./client-registration";
import { getKeyManagerRowOrThrow } from "./get-key-manager";
import { clientCredentialsToken, deleteRegisteredClient, registerClient, verifyProviderToken, type ProviderToken } from "./provider";
import { keyManagerClientSchema } from "./schemas";

/**
 * An application's clients at external key managers. Registered clients are created, rotated
 * and deleted at the provider (RFC 7591/7592); an existing client is mapped only after a
 * client-credentials grant proves that the caller holds its secret. Whatever fails after the
 * provider created a client deletes it again, so that nothing is left half-registered.
 */

export interface KeyManagerClientView {
  id: string;
  keyManagerId: string;
  keyManagerName: string;
  issuer: string;
  tokenEndpoint: string;
  keyType: "production" | "sandbox";
  mode: "registered" | "mapped";
  clientId: string;
  createdAt: string;
  updatedAt: string;
}

export interface KeyManagerClientWithSecret extends KeyManagerClientView {
  /** Shown this once. */
  clientSecret: string;
}

function toView(row: KeyManagerClientRow, km: KeyManagerRow): KeyManagerClientView {
  return {
    id: row.id,
    keyManagerId: km.id,
    keyManagerName: km.displayName,
    issuer: km.issuer,
    tokenEndpoint: km.tokenEndpoint,
    keyType: row.keyType,
    mode: row.mode,
    clientId: row.clientId ?? "",
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function alreadyMapped(): AppError {
  const message = "This client is already mapped to an application.";
  return new AppError("conflict", message, { fieldErrors: { clientId: message } });
}

export async function listKeyManagerClients(applicationId: string, ctx: ServiceContext): Promise<{ items: KeyManagerClientView[] }> {
  const app = await getOwnedApplicationOrThrow(applicationId, ctx);
  const db = await getDb();
  // Bounded: one client per key manager and key type.
  const rows = await db
    .select({ client: keyManagerClients, km: keyManagers })
    .from(keyManagerClients)
    .innerJoin(keyManagers, eq(keyManagers.id, keyManagerClients.keyManagerId))
    .where(and(eq(keyManagerClients.applicationId, app.id), eq(keyManagerClients.status, "active")))
    .orderBy(asc(keyManagers.name), asc(keyManagerClients.keyType))
    .limit(200);
  return { items: rows.map((r) => toView(r.client, r.km)) };
}

export async function createKeyManagerClient(
  applicationId: string,
  input: unknown,
  ctx: ServiceContext,
): Promise<KeyManagerClientWithSecret> {
  const values = parseInput(keyManagerClientSchema, input);
  const app = await getOwnedApplicationOrThrow(applicationId, ctx);
  const km = await getKeyManagerRowOrThrow(values.keyManagerId).catch(() => {
    throw new AppError("validation_failed", "No such key manager.", { fieldErrors: { keyManagerId: "No such key manager." } });
  });
  const db = await getDb();
  const [existing] = await db
    .select()
    .from(keyManagerClients)
    .where(
      and(
        eq(keyManagerClients.keyManagerId, km.id),
        eq(keyManagerClients.applicationId, app.id),
        eq(keyManagerClients.keyType, values.keyType),
      ),
    );
  if (existing?.status === "active")
    throw new AppError("conflict", `The application has a ${values.keyType} client at this key manager already: rotate or delete it.`);

  if (!values.clientId && !values.clientSecret) {
    if (!km.registrationEndpoint) {
      throw new AppError(
        "validation_failed",
        "This key manager offers no dynamic registration: map an existing client with its id and secret.",
        {
          fieldErrors: { clientId: "Required: this key manager offers no dynamic registration." },
        },
      );
    }
    const resumed = existing?.status === "pending" ? await resumePendingRegistration(existing, km, ctx) : null;
    const done =
      resumed ?? (await registerKeyManagerClient({ ...km, registrationEndpoint: km.registrationEndpoint }, app, values.keyType, ctx));
    return { ...toView(done.row, km), clientSecret: done.clientSecret };
  }
  if (existing?.status === "pending")
    throw new AppError("conflict", "A registration of this client is in progress: try again in a moment.");

  if (!values.clientId || !values.clientSecret) {
    throw new AppError("validation_failed", "Mapping a client takes its id and its secret.", {
      fieldErrors: { [values.clientId ? "clientSecret" : "clientId"]: "Required to map an existing client." },
    });
  }
  const { clientId, clientSecret } = values;
  const [taken] = await db
    .select({ id: keyManagerClients.id })
    .from(keyManagerClients)
    .where(and(eq(keyManagerClients.keyManagerId, km.id), eq(keyManagerClients.clientId, clientId)));
  if (taken) throw alreadyMapped();
  await proveOwnership(km, clientId, clientSecret);

  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(keyManagerClients)
        .values({
          id: newId("kmc"),
          keyManagerId: km.id,
          applicationId: app.id,
          keyType: values.keyType,
          mode: "mapped",
          clientId,
          clientSecretEncrypted: encryptSecret(clientSecret),
        })
        .returning();
      await writeAudit(tx, ctx, {
        action: "application.key_manager_client.map",
        objectType: "application",
        objectId: app.id,
        details: { keyManager: km.name, keyType: values.keyType, clientId },
      });
      await bumpSnapshotVersions(tx);
      return { ...toView(row, km), clientSecret };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyMapped();
    throw error;
  }
}

/** A client-credentials grant with the given secret, and the token's client id claim naming that client. */
async function proveOwnership(km: KeyManagerRow, clientId: string, clientSecret: string): Promise<void> {
  const token = await clientCredentialsToken(km.tokenEndpoint, clientId, clientSecret).catch((error: unknown) => {
    const message = error instanceof AppError ? error.message : "The key manager could not be reached.";
    throw new AppError("validation_failed", message, { fieldErrors: { clientSecret: message } });
  });
  const { clientId: claimed } = await verifyProviderToken(token.accessToken, km);
  if (claimed !== clientId) {
    const message = `The provider's token names ${claimed ?? "no client"} in its ${km.clientIdClaim} claim, not ${clientId}: check the key manager's client id claim.`;
    throw new AppError("validation_failed", message, { fieldErrors: { clientId: message } });
  }
}

async function getOwnedClientOrThrow(applicationId: string, clientRowId: string, ctx: ServiceContext) {
  const app = await getOwnedApplicationOrThrow(applicationId, ctx);
  const db = await getDb();
  const [found] = await db
    .select({ client: keyManagerClients, km: keyManagers })
    .from(keyManagerClients)
    .innerJoin(keyManagers, eq(keyManagers.id, keyManagerClients.keyManagerId))
    .where(and(eq(keyManagerClients.id, clientRowId), eq(keyManagerClients.applicationId, app.id), eq(keyManagerClients.status, "active")));
  if (!found) throw new AppError("not_found", "No such client.");
  return { app, ...found };
}

/**
 * Deletes the client: at the provider first for a registered one (so that its secret stops
 * working there), then the mapping, which gateways drop with the next snapshot.
 */
export async function deleteKeyManagerClient(applicationId: string, clientRowId: string, ctx: ServiceContext): Promise<void> {
  const { app, client, km } = await getOwnedClientOrThrow(applicationId, clientRowId, ctx);
  if (client.mode === "registered" && client.registrationClientUri && client.registrationAccessTokenEncrypted) {
    await deleteRegisteredClient(client.registrationClientUri, decryptSecret(client.registrationAccessTokenEncrypted));
  }
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.delete(keyManagerClients).where(eq(keyManagerClients.id, client.id));
    await writeAudit(tx, ctx, {
      action: "application.key_manager_client.delete",
      objectType: "application",
      objectId: app.id,
      details: { keyManager: km.name, keyType: client.keyType, clientId: client.clientId },
    });
    await bumpSnapshotVersions(tx);
  });
}

/**
 * Rotates a registered client: a new client is registered, replaces the old one in Meridian,
 * and the old one is deleted at the provider. Its tokens are refused as soon as gateways have
 * the next snapshot. A mapped client is rotated at the provider by its owner and mapped again.
 */
export async function rotateKeyManagerClient(
  applicationId: string,
  clientRowId: string,
  ctx: ServiceContext,
): Promise<KeyManagerClientWithSecret> {
  const { app, client, km } = await getOwnedClientOrThrow(applicationId, clientRowId, ctx);
  if (client.mode !== "registered" || !km.registrationEndpoint) {
    throw new AppError(
      "conflict",
      "A mapped client is rotated at the provider: delete the mapping and map the client with its new secret.",
    );
  }
  const fresh = await registerClient(
    km.registrationEndpoint,
    km.registrationTokenEncrypted ? decryptSecret(km.registrationTokenEncrypted) : null,
    registrationClientName(client.id, app.name, client.keyType),
  );
  const db = await getDb();
  let row: KeyManagerClientRow;
  try {
    row = await db.transaction(async (tx) => {
      const [updated] = await tx
        .update(keyManagerClients)
        .set({
          clientId: fresh.clientId,
          clientSecretEncrypted: encryptSecret(fresh.clientSecret),
          registrationAccessTokenEncrypted: fresh.registrationAccessToken ? encryptSecret(fresh.registrationAccessToken) : null,
          registrationClientUri: fresh.registrationClientUri,
        })
        .where(eq(keyManagerClients.id, client.id))
        .returning();
      await writeAudit(tx, ctx, {
        action: "application.key_manager_client.rotate",
        objectType: "application",
        objectId: app.id,
        details: { keyManager: km.name, keyType: client.keyType, clientId: fresh.clientId, previousClientId: client.clientId },
      });
      await bumpSnapshotVersions(tx);
      return updated;
    });
  } catch (error) {
    await undoRegistration(fresh);
    throw error;
  }
  if (client.registrationClientUri && client.registrationAccessTokenEncrypted) {
    await deleteRegisteredClient(client.registrationClientUri, decryptSecret(client.registrationAccessTokenEncrypted)).catch(
      (error: unknown) =>
        logger.warn({ err: error, keyManager: km.name }, "the rotated-out client could not be deleted at the key manager"),
    );
  }
  return { ...toView(row, km), clientSecret: fresh.clientSecret };
}

/** Try it: a token from the key manager for the application's client, fetched by the server with the stored secret. */
export async function requestKeyManagerToken(
  applicationId: string,
  clientRowId: string,
  input: unknown,
  ctx: ServiceContext,
): Promise<ProviderToken> {
  const { client, km } = await getOwnedClientOrThrow(applicationId, clientRowId, ctx);
  const scope =
    typeof (input as { scope?: unknown })?.scope === "string" ? (input as { scope: string }).scope.slice(0, 1000) || undefined : undefined;
  if (!client.clientSecretEncrypted || !client.clientId) throw new AppError("conflict", "No secret is stored for this client.");
  return clientCredentialsToken(km.tokenEndpoint, client.clientId, decryptSecret(client.clientSecretEncrypted), scope);
}

export interface OwnedExternalClient {
  id: string;
  applicationId: string;
  keyManagerName: string;
  keyType: "production" | "sandbox";
  clientId: string;
}

/** The caller's applications' external clients (the first 200), for Try it. */
export async function listOwnedExternalClients(ctx: ServiceContext): Promise<OwnedExternalClient[]> {
  const actor = assertCan(ctx, "applications:write");
  const db = await getDb();
  const rows = await db
    .select({ client: keyManagerClients, km: keyManagers })
    .from(keyManagerClients)
    .innerJoin(keyManagers, eq(keyManagers.id, keyManagerClients.keyManagerId))
    .innerJoin(applications, eq(applications.id, keyManagerClients.applicationId))
    .where(and(eq(applications.ownerId, actor.id), eq(keyManagerClients.status, "active")))
    .orderBy(asc(keyManagers.name), asc(keyManagerClients.id))
    .limit(200);
  return rows.map(({ client, km }) => ({
    id: client.id,
    applicationId: client.applicationId,
    keyManagerName: km.displayName,
    keyType: client.keyType,
    clientId: client.clientId ?? "",
  }));
}

/**
 * Deletes at the providers every client Meridian registered for an application, before the
 * application goes (its rows cascade). A provider that refuses stops the deletion, so that no
 * client is left registered without Meridian knowing of it.
 */
export async function deleteProviderClientsOf(applicationId: string): Promise<void> {
  const db = await getDb();
  const rows = await db.select().from(keyManagerClients).where(eq(keyManagerClients.applicationId, applicationId)).limit(200);
  for (const row of rows) {
    if (row.mode !== "registered" || !row.registrationClientUri || !row.registrationAccessTokenEncrypted) continue;
    await deleteRegisteredClient(row.registrationClientUri, decryptSecret(row.registrationAccessTokenEncrypted));
    await db.delete(keyManagerClients).where(eq(keyManagerClients.id, row.id));
  }
}
