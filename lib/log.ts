import pino from "pino";

/**
 * The process logger. Secrets never reach it: config objects are logged through redaction
 * paths, and services log ids, not payloads.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "meridian" },
  redact: {
    paths: ["password", "*.password", "secret", "*.secret", "*.config", "config", "token", "*.token", "authorization", "*.authorization", "headers.authorization", "headers.cookie"],
    censor: "[redacted]",
  },
});
