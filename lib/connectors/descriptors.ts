import { agentDescriptor } from "./agent/descriptor";
import { awsDescriptor } from "./aws/descriptor";
import { azureDescriptor } from "./azure/descriptor";
import { builtinDescriptor } from "./builtin/descriptor";
import { envoyDescriptor } from "./envoy/descriptor";
import { kongDescriptor } from "./kong/descriptor";
import { CONNECTOR_TYPES, type ConnectorDescriptor, type ConnectorType } from "./types";

/**
 * Every type's descriptor without its I/O: what forms, validation and the OpenAPI document
 * need, with no vendor SDK loaded.
 */
export const DESCRIPTORS: Record<ConnectorType, ConnectorDescriptor> = {
  builtin: builtinDescriptor,
  aws: awsDescriptor,
  azure: azureDescriptor,
  kong: kongDescriptor,
  envoy: envoyDescriptor,
  agent: agentDescriptor,
};

export function isConnectorType(value: unknown): value is ConnectorType {
  return typeof value === "string" && (CONNECTOR_TYPES as readonly string[]).includes(value);
}

export function listDescriptors(): ConnectorDescriptor[] {
  return CONNECTOR_TYPES.map((t) => DESCRIPTORS[t]);
}
