import { AppError } from "@/lib/errors";
import { agentConnector } from "./agent/connector";
import { awsConnector } from "./aws/connector";
import { azureConnector } from "./azure/connector";
import { builtinConnector } from "./builtin/connector";
import { DESCRIPTORS, isConnectorType } from "./descriptors";
import { envoyConnector } from "./envoy/connector";
import { kongConnector } from "./kong/connector";
import type { Connector, ConnectorDescriptor, ConnectorType } from "./types";

const CONNECTORS: Record<ConnectorType, Connector> = {
  builtin: builtinConnector,
  aws: awsConnector,
  azure: azureConnector,
  kong: kongConnector,
  envoy: envoyConnector,
  agent: agentConnector,
};

// Tests swap a type's connector for a fake; nothing else writes here.
const overrides = new Map<ConnectorType, Connector>();

function assertType(type: string): asserts type is ConnectorType {
  if (!isConnectorType(type))
    throw new AppError("bad_request", `Unknown gateway type "${type}". Known types: ${Object.keys(CONNECTORS).join(", ")}.`);
}

/** The connector of a type; throws on an unknown type. */
export function getConnector(type: string): Connector {
  assertType(type);
  return overrides.get(type) ?? CONNECTORS[type];
}

export function getDescriptor(type: string): ConnectorDescriptor {
  assertType(type);
  return DESCRIPTORS[type];
}

/** For tests: serve `connector` for its type until the returned function is called. */
export function overrideConnector(connector: Connector): () => void {
  const type = connector.descriptor.type;
  overrides.set(type, connector);
  return () => {
    if (overrides.get(type) === connector) overrides.delete(type);
  };
}
