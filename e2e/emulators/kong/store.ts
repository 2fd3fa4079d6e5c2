import { randomUUID } from "node:crypto";

/** The entities of one workspace (or one Konnect control plane), in memory. */

export const ENTITY_TYPES = ["services", "routes", "consumers", "plugins", "keyauth_credentials", "jwt_secrets", "acls"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];
export type Entity = Record<string, unknown> & { id: string; created_at: number; updated_at: number; tags: string[] | null };

export class Workspace {
  readonly entities: Record<EntityType, Map<string, Entity>> = {
    services: new Map(),
    routes: new Map(),
    consumers: new Map(),
    plugins: new Map(),
    keyauth_credentials: new Map(),
    jwt_secrets: new Map(),
    acls: new Map(),
  };

  list(type: EntityType): Entity[] {
    // Kong pages in primary-key order.
    return [...this.entities[type].values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  clear(): void {
    for (const t of ENTITY_TYPES) this.entities[t].clear();
  }
}

export interface RequestLog {
  method: string;
  path: string;
  status: number;
}

export interface KongState {
  /** database: the Admin API writes entities; dbless: only POST /config does. */
  mode: "database" | "dbless";
  workspaces: Map<string, Workspace>;
  /** Konnect control planes by id: each holds its own entities. */
  controlPlanes: Map<string, Workspace>;
  adminTokens: string[];
  konnectTokens: string[];
  pageSizeLimit: number;
  requests: RequestLog[];
  /** The hash of the last declarative configuration loaded in DB-less mode. */
  configHash: string;
}

export function createState(options: {
  mode?: "database" | "dbless";
  workspaces?: string[];
  controlPlanes?: string[];
  adminTokens?: string[];
  konnectTokens?: string[];
}): KongState {
  const workspaces = new Map<string, Workspace>();
  for (const name of ["default", ...(options.workspaces ?? [])]) workspaces.set(name, new Workspace());
  const controlPlanes = new Map<string, Workspace>();
  for (const id of options.controlPlanes ?? []) controlPlanes.set(id, new Workspace());
  return {
    mode: options.mode ?? "database",
    workspaces,
    controlPlanes,
    adminTokens: options.adminTokens ?? [],
    konnectTokens: options.konnectTokens ?? [],
    pageSizeLimit: 1000,
    requests: [],
    configHash: "00000000000000000000000000000000",
  };
}

export function resetState(state: KongState): void {
  for (const ws of state.workspaces.values()) ws.clear();
  for (const cp of state.controlPlanes.values()) cp.clear();
  state.requests.length = 0;
  state.configHash = "00000000000000000000000000000000";
}

export const newEntityId = () => randomUUID();
export const now = () => Math.floor(Date.now() / 1000);
