import { heartbeatTest } from "../heartbeat";
import { notAvailableYet } from "../not-available";
import type { Connector } from "../types";
import { agentDescriptor } from "./descriptor";

export const agentConnector: Connector = {
  descriptor: agentDescriptor,
  testConnection: async (_config, ctx) => heartbeatTest("agent", ctx),
  ...notAvailableYet("Gateway agent"),
};
