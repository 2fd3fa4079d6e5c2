"use server";

import { developerAction } from "@/lib/actions/client";
import { tryOperation, tryOperationSchema } from "@/lib/services/catalog/try-operation";

/** Try it: the portal's server calls the gateway for the signed-in developer (see the service for the limits). */
export const tryOperationAction = developerAction(tryOperationSchema, (input, ctx) => tryOperation(input, ctx));
