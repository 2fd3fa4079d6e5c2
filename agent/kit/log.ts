import pino from "pino";

/** The agent's logger; tokens never reach it. */
export const agentLog = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "meridian-agent" },
  redact: { paths: ["token", "*.token", "authorization", "*.authorization"], censor: "[redacted]" },
});

export type AgentLog = typeof agentLog;
