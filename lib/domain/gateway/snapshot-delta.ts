import { z } from "zod";
import type { Snapshot } from "./snapshot";

/**
 * What changed between two snapshots of one environment, so that a gateway holding version
 * `base` can reach `version` without downloading the whole snapshot: the keyed collections
 * (APIs by id, subscriptions by id, API keys by hash, revoked tokens by jti, tiers by name) as
 * entries put and keys removed, and every other member whole when it changed. Applying it to
 * `base` gives exactly the snapshot of `version`, order of the collections included.
 *
 * Shared by the control plane (which computes it from snapshots it still holds) and every
 * gateway or agent (which applies it, then validates the result like any snapshot).
 */

const COLLECTIONS = {
  apis: (e: { id: string }) => e.id,
  subscriptions: (e: { id: string }) => e.id,
  apiKeys: (e: { hash: string }) => e.hash,
  revokedTokenIds: (e: { jti: string }) => e.jti,
  tiers: (e: { name: string }) => e.name,
} as const;

type CollectionName = keyof typeof COLLECTIONS;
const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[];

export interface CollectionChange {
  /** Entries added or changed, whole. */
  put: unknown[];
  /** Keys of entries removed. */
  remove: string[];
  /** Every key in the new order, when the order changed otherwise than by appending. */
  order?: string[];
}

export const snapshotDeltaSchema = z.object({
  delta: z.literal(true),
  format: z.number().int(),
  base: z.string().min(1),
  version: z.string().min(1),
  generatedAt: z.string(),
  /** Other members, whole, where they changed. */
  set: z.record(z.string(), z.unknown()),
  changes: z.partialRecord(
    z.enum(COLLECTION_NAMES as [CollectionName, ...CollectionName[]]),
    z.object({ put: z.array(z.unknown()), remove: z.array(z.string()), order: z.array(z.string()).optional() }),
  ),
});

export type SnapshotDelta = z.infer<typeof snapshotDeltaSchema>;

export function isSnapshotDelta(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { delta?: unknown }).delta === true;
}

const keyOf = (name: CollectionName, entry: unknown) => (COLLECTIONS[name] as (e: unknown) => string)(entry);

export function diffSnapshots(base: Snapshot, next: Snapshot): SnapshotDelta {
  const set: Record<string, unknown> = {};
  const changes: SnapshotDelta["changes"] = {};
  for (const member of Object.keys(next) as (keyof Snapshot)[]) {
    if (member === "version" || member === "generatedAt" || member === "format") continue;
    if ((COLLECTION_NAMES as string[]).includes(member)) continue;
    if (JSON.stringify(base[member]) !== JSON.stringify(next[member])) set[member] = next[member];
  }
  for (const name of COLLECTION_NAMES) {
    const before = new Map<string, string>();
    for (const entry of base[name] as unknown[]) before.set(keyOf(name, entry), JSON.stringify(entry));
    const put: unknown[] = [];
    const nextKeys: string[] = [];
    for (const entry of next[name] as unknown[]) {
      const key = keyOf(name, entry);
      nextKeys.push(key);
      if (before.get(key) !== JSON.stringify(entry)) put.push(entry);
    }
    const kept = new Set(nextKeys);
    const remove = [...before.keys()].filter((k) => !kept.has(k));
    // The order after removing and appending new entries; sent only when it differs from the new one.
    const removed = new Set(remove);
    const implied = [...before.keys()].filter((k) => !removed.has(k));
    const known = new Set(implied);
    for (const key of nextKeys) if (!known.has(key)) implied.push(key);
    const reordered = implied.length !== nextKeys.length || implied.some((k, i) => k !== nextKeys[i]);
    if (put.length || remove.length || reordered) changes[name] = { put, remove, ...(reordered ? { order: nextKeys } : {}) };
  }
  return { delta: true, format: next.format, base: base.version, version: next.version, generatedAt: next.generatedAt, set, changes };
}

/** The snapshot `delta` leads to from `base`; throws when the delta was made from another version. */
export function applySnapshotDelta(base: Snapshot, delta: SnapshotDelta): Snapshot {
  if (delta.base !== base.version) throw new Error(`The delta applies to version ${delta.base}, not ${base.version}.`);
  const next: Record<string, unknown> = {
    ...base,
    ...delta.set,
    format: delta.format,
    version: delta.version,
    generatedAt: delta.generatedAt,
  };
  for (const name of COLLECTION_NAMES) {
    const change = delta.changes[name];
    if (!change) continue;
    const entries = new Map<string, unknown>();
    for (const entry of base[name] as unknown[]) entries.set(keyOf(name, entry), entry);
    for (const key of change.remove) entries.delete(key);
    for (const entry of change.put) entries.set(keyOf(name, entry), entry);
    next[name] = change.order ? change.order.map((key) => entries.get(key)) : [...entries.values()];
    if (change.order && (next[name] as unknown[]).some((e) => e === undefined))
      throw new Error(`The delta's order for ${name} names an entry it does not hold.`);
  }
  return next as unknown as Snapshot;
}
