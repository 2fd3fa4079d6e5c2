import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { isAppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/context";
import { getCatalogApi } from "@/lib/services/catalog/get-catalog-api";

/** The catalog's view of an API, read once per request; one the visitor may not see is a 404. */
export const loadCatalogApiForPage = cache(async (id: string, actor: Actor | null) => {
  try {
    return await getCatalogApi(id, { actor });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
});
