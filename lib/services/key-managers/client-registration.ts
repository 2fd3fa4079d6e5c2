import { and, asc, eq, lt } from "drizzle-orm";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { keyManagerClients, type KeyManagerClientRow, type KeyManagerRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { logger } from "@/lib/log";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { deleteRegisteredClient, registerClient, type RegisteredClient } from "./provider";

/**
 * Dynamic client registration (RFC 7591) that a crash cannot leave half done. Three commits:
 *
 * 1. a `pending` row naming the client it is about to register (`client_name` carries the row
 *    id, so the client can be told apart at the provider);
 * 2. the provider's answer (client id, secret and registration access token, encrypted) on that
 *    row, as soon as it arrives;
 * 3. `active`, with the audit entry and the snapshot bump: only now do gateways see the client.
 *
 * A failure in the process after the provider created the client deletes it there (RFC 7592)
 * and the row. A crash leaves a pending row: a retry of the same registration completes it
 * when the provider's answer was recorded (so the provider still holds exactly one client);
 * the worker's sweep deletes older ones at the provider and drops them.
 */

/** How long a pending registration belongs to the request that started it. */
export const PENDING_REGISTRATION_GRACE_MS = 2 * 60_000;

/**
 * Test seams: a test makes a step never return (a crash) or throw (a failed write). Unset in
 * production.
 */
export const registrationSeams: {
  afterRecord?: () => Promise<void>;
  beforeActivate?: () => Promise<void>;
} = {};

export function registrationClientName(rowId: string, applicationName: string, keyType: string): string {
  return `Meridian: ${applicationName.slice(0, 150)} (${keyType}) [${rowId}]`;
}

export async function undoRegistration(client: Pick<RegisteredClient, "registrationClientUri" | "registrationAccessToken">): Promise<void> {
  if (!client.registrationClientUri || !client.registrationAccessToken) return;
  await deleteRegisteredClient(client.registrationClientUri, client.registrationAccessToken).catch((error: unknown) =>
    logger.warn({ err: error }, "a client registered at a key manager could not be deleted again"),
  );
}

async function dropPending(rowId: string): Promise<void> {
  const db = await getDb();
  await db.delete(keyManagerClients).where(and(eq(keyManagerClients.id, rowId), eq(keyManagerClients.status, "pending")));
}

function inProgress(): AppError {
  return new AppError("conflict", "A registration of this client is in progress: try again in a moment.");
}

/** Makes a recorded registration active: audit and snapshot in the same transaction. */
async function activate(rowId: string, km: KeyManagerRow, applicationId: string, ctx: ServiceContext): Promise<KeyManagerClientRow> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await registrationSeams.beforeActivate?.();
    const [row] = await tx
      .update(keyManagerClients)
      .set({ status: "active", updatedAt: new Date() })
      .where(and(eq(keyManagerClients.id, rowId), eq(keyManagerClients.status, "pending")))
      .returning();
    if (!row) {
      // Another request (a retry racing the original) made it active first.
      const [current] = await tx.select().from(keyManagerClients).where(eq(keyManagerClients.id, rowId));
      if (current?.status === "active") return current;
      throw new AppError("conflict", "The registration was abandoned meanwhile: register the client again.");
    }
    await writeAudit(tx, ctx, {
      action: "application.key_manager_client.register",
      objectType: "application",
      objectId: applicationId,
      details: { keyManager: km.name, keyType: row.keyType, clientId: row.clientId },
    });
    await bumpSnapshotVersions(tx);
    return row;
  });
}

/** Registers a client at the provider for the application, pending row first. */
export async function registerKeyManagerClient(
  km: KeyManagerRow & { registrationEndpoint: string },
  app: { id: string; name: string },
  keyType: "production" | "sandbox",
  ctx: ServiceContext,
): Promise<{ row: KeyManagerClientRow; clientSecret: string }> {
  const db = await getDb();
  const id = newId("kmc");
  const clientName = registrationClientName(id, app.name, keyType);
  try {
    await db.insert(keyManagerClients).values({
      id,
      keyManagerId: km.id,
      applicationId: app.id,
      keyType,
      mode: "registered",
      status: "pending",
      clientId: null,
      clientName,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw inProgress();
    throw error;
  }

  let client: RegisteredClient;
  try {
    client = await registerClient(
      km.registrationEndpoint,
      km.registrationTokenEncrypted ? decryptSecret(km.registrationTokenEncrypted) : null,
      clientName,
    );
  } catch (error) {
    // The provider refused (or could not be reached): it holds no client of ours to delete.
    await dropPending(id);
    throw error;
  }

  try {
    const recorded = await db
      .update(keyManagerClients)
      .set({
        clientId: client.clientId,
        clientSecretEncrypted: encryptSecret(client.clientSecret),
        registrationAccessTokenEncrypted: client.registrationAccessToken ? encryptSecret(client.registrationAccessToken) : null,
        registrationClientUri: client.registrationClientUri,
        updatedAt: new Date(),
      })
      .where(and(eq(keyManagerClients.id, id), eq(keyManagerClients.status, "pending")))
      .returning({ id: keyManagerClients.id });
    if (recorded.length === 0) throw new AppError("conflict", "The registration was abandoned meanwhile: register the client again.");
  } catch (error) {
    await undoRegistration(client);
    await dropPending(id);
    throw isUniqueViolation(error) ? new AppError("conflict", "The provider named a client that is mapped already.") : error;
  }
  await registrationSeams.afterRecord?.();

  try {
    return { row: await activate(id, km, app.id, ctx), clientSecret: client.clientSecret };
  } catch (error) {
    await undoRegistration(client);
    await dropPending(id);
    throw error;
  }
}

/**
 * A retry meeting the pending row of an earlier attempt: completes it when the provider's
 * answer was recorded, refuses while a recent attempt may still be running, and otherwise
 * drops the row so that the caller registers afresh (returns null then).
 */
export async function resumePendingRegistration(
  pending: KeyManagerClientRow,
  km: KeyManagerRow,
  ctx: ServiceContext,
): Promise<{ row: KeyManagerClientRow; clientSecret: string } | null> {
  if (pending.clientId && pending.clientSecretEncrypted) {
    const row = await activate(pending.id, km, pending.applicationId, ctx);
    return { row, clientSecret: decryptSecret(pending.clientSecretEncrypted) };
  }
  if (Date.now() - pending.createdAt.getTime() < PENDING_REGISTRATION_GRACE_MS) throw inProgress();
  abandonedWithoutAnswer(pending);
  await dropPending(pending.id);
  return null;
}

function abandonedWithoutAnswer(row: KeyManagerClientRow): void {
  // The provider's answer never reached the database, so Meridian holds no registration access
  // token for it: whatever the provider made is found there by its name.
  logger.warn(
    { keyManagerId: row.keyManagerId, clientName: row.clientName },
    "a dynamic client registration was abandoned before the provider's answer was recorded; delete that client at the provider if it exists",
  );
}

/**
 * The worker's sweep (at start and periodically): pending registrations older than the grace
 * period are deleted at the provider when their registration access token is known, and
 * dropped. A provider that refuses the deletion keeps the row for the next sweep.
 */
export async function sweepPendingRegistrations(
  options: { olderThanMs?: number; now?: Date; /** Only this key manager's. */ keyManagerId?: string } = {},
): Promise<{ deleted: number; abandoned: number; failed: number }> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - (options.olderThanMs ?? PENDING_REGISTRATION_GRACE_MS));
  const db = await getDb();
  const rows = await db
    .select()
    .from(keyManagerClients)
    .where(
      and(
        eq(keyManagerClients.status, "pending"),
        lt(keyManagerClients.createdAt, cutoff),
        options.keyManagerId ? eq(keyManagerClients.keyManagerId, options.keyManagerId) : undefined,
      ),
    )
    .orderBy(asc(keyManagerClients.createdAt))
    .limit(100);
  const out = { deleted: 0, abandoned: 0, failed: 0 };
  for (const row of rows) {
    if (row.registrationClientUri && row.registrationAccessTokenEncrypted) {
      try {
        await deleteRegisteredClient(row.registrationClientUri, decryptSecret(row.registrationAccessTokenEncrypted));
      } catch (error) {
        logger.warn({ err: error, clientName: row.clientName }, "a pending client registration could not be deleted at the key manager");
        out.failed += 1;
        continue;
      }
      out.deleted += 1;
    } else {
      abandonedWithoutAnswer(row);
      out.abandoned += 1;
    }
    await dropPending(row.id);
  }
  return out;
}
