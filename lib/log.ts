import pino, { type LoggerOptions } from "pino";
import { serializeLoggedError } from "./log-errors";

/**
 * The process logger. Secrets never reach it: config objects are logged through redaction
 * paths, services log ids, not payloads, and errors lose the values of failed queries.
 */
export const loggerOptions: LoggerOptions = {
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "meridian" },
  serializers: { err: serializeLoggedError },
  redact: {
    paths: [
      "password",
      "*.password",
      "secret",
      "*.secret",
      "*.config",
      "config",
      "token",
      "*.token",
      "authorization",
      "*.authorization",
      "headers.authorization",
      "headers.cookie",
    ],
    censor: "[redacted]",
  },
};

export const logger = pino(loggerOptions);
