import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { isAppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/context";
import { getApi } from "@/lib/services/apis/get-api";

/** The API for a page of the portal, read once per request; someone else's API is a 404. */
export const loadApiForPage = cache(async (id: string, actor: Actor) => {
  try {
    return await getApi(id, { actor });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
});
