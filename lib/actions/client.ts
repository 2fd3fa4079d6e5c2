import "server-only";
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import type { z } from "zod";
import { can, type Permission } from "@/lib/auth/permissions";
import { clientIp } from "@/lib/auth/client-ip";
import { getSessionActor } from "@/lib/auth/session";
import { AppError, isAppError, type FieldErrors } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; code: string; message: string; fieldErrors?: FieldErrors };

interface ClientOptions {
  /** Permission the whole portal requires; null for actions open to anonymous users. */
  portal: Permission | null;
  signedIn: boolean;
}

/**
 * One validated client per portal. Every action resolves the session on the server, checks the
 * portal and the action's own permission, validates its input and returns a result object
 * instead of throwing, so that forms can show the message.
 */
function createActionClient({ portal, signedIn }: ClientOptions) {
  return function defineAction<S extends z.ZodType, R>(
    schema: S,
    fn: (input: z.output<S>, ctx: ServiceContext) => Promise<R>,
    options: { permission?: Permission } = {},
  ) {
    return async (input: z.input<S>): Promise<ActionResult<R>> => {
      const requestId = randomUUID();
      try {
        const actor = await getSessionActor();
        if (signedIn && !actor) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
        for (const permission of [portal, options.permission]) {
          if (permission && !can(actor?.roles, permission)) throw new AppError("forbidden", "You do not have permission to do this.");
        }
        const ctx: ServiceContext = { actor, requestId, ip: clientIp(await headers()) };
        const data = await fn(parseInput(schema, input), ctx);
        return { ok: true, data };
      } catch (error) {
        if (isAppError(error)) return { ok: false, code: error.code, message: error.message, fieldErrors: error.fieldErrors };
        // Next.js control flow (redirect, notFound) must propagate.
        if (error && typeof error === "object" && "digest" in error) throw error;
        logger.error({ err: error, requestId }, "action failed");
        return { ok: false, code: "internal_error", message: `Something went wrong on our side (request ${requestId}).` };
      }
    };
  };
}

export const publicAction = createActionClient({ portal: null, signedIn: false });
export const accountAction = createActionClient({ portal: null, signedIn: true });
export const developerAction = createActionClient({ portal: "portal:developer", signedIn: true });
export const publisherAction = createActionClient({ portal: "portal:publisher", signedIn: true });
export const adminAction = createActionClient({ portal: "portal:admin", signedIn: true });
