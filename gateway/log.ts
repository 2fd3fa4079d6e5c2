import pino from "pino";

/** The gateway's logger; tokens and keys never reach it (requests are logged by id and path). */
export const gatewayLog = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "meridian-gateway" },
  redact: { paths: ["token", "*.token", "authorization", "*.authorization"], censor: "[redacted]" },
});

export type GatewayLog = typeof gatewayLog;
