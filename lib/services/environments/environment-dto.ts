import { DESCRIPTORS } from "@/lib/connectors/descriptors";
import type { ConnectorType, EnvironmentMode } from "@/lib/connectors/types";
import type { Environment } from "@/lib/db/schema";
import { isRole, type Role } from "@/lib/auth/permissions";
import { maskConfig } from "./config-secrets";
import type { EnvironmentHealth } from "./health";

/** What any reader of environments sees (publishers choose deployment targets from it). */
export interface EnvironmentSummary {
  id: string;
  name: string;
  displayName: string;
  description: string;
  type: ConnectorType;
  typeLabel: string;
  mode: EnvironmentMode;
  region: string;
  publicUrls: string[];
  visibleRoles: Role[];
  discoveryIntervalMinutes: number;
  snapshotVersion: number;
  createdAt: string;
  updatedAt: string;
}

/** What admins see: the connection config with its secrets masked, the `primary` gateway token's prefix, health. */
export interface EnvironmentView extends EnvironmentSummary {
  config: Record<string, unknown>;
  secrets: Record<string, { set: boolean }>;
  gatewayToken: { prefix: string; createdAt: string } | null;
  lastTest: { at: string; ok: boolean; message: string } | null;
  health?: EnvironmentHealth;
}

export function toEnvironmentSummary(row: Environment): EnvironmentSummary {
  const type = row.type as ConnectorType;
  return {
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    description: row.description,
    type,
    typeLabel: DESCRIPTORS[type]?.label ?? row.type,
    mode: row.mode as EnvironmentMode,
    region: row.region,
    publicUrls: row.publicUrls,
    visibleRoles: row.visibleRoles.filter(isRole),
    discoveryIntervalMinutes: row.discoveryIntervalMinutes,
    snapshotVersion: row.snapshotVersion,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The only shape in which an environment's config leaves the service layer: secrets masked. */
export function toEnvironmentView(row: Environment, health?: EnvironmentHealth): EnvironmentView {
  const descriptor = DESCRIPTORS[row.type as ConnectorType];
  const { config, secrets } = descriptor ? maskConfig(descriptor, row.config) : { config: {}, secrets: {} };
  return {
    ...toEnvironmentSummary(row),
    config,
    secrets,
    gatewayToken:
      row.gatewayTokenPrefix && row.gatewayTokenCreatedAt
        ? { prefix: row.gatewayTokenPrefix, createdAt: row.gatewayTokenCreatedAt.toISOString() }
        : null,
    lastTest: row.lastTestAt ? { at: row.lastTestAt.toISOString(), ok: !!row.lastTestOk, message: row.lastTestMessage ?? "" } : null,
    ...(health ? { health } : {}),
  };
}
