import { heartbeatTest } from "../heartbeat";
import { notAvailableYet } from "../not-available";
import type { Connector } from "../types";
import { builtinDescriptor } from "./descriptor";

export const builtinConnector: Connector = {
  descriptor: builtinDescriptor,
  testConnection: async (_config, ctx) => heartbeatTest("gateway", ctx),
  ...notAvailableYet("Meridian gateway"),
};
