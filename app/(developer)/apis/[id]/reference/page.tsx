import type { Metadata } from "next";
import { ApiReferenceLoader } from "@/components/developer/api-reference-loader";
import { EmptyState } from "@/components/ui/empty-state";
import { getSessionActor } from "@/lib/auth/session";
import { getCatalogDefinition } from "@/lib/services/catalog/get-catalog-api";
import { loadCatalogApiForPage } from "../load-api";

export const metadata: Metadata = { title: "API reference" };

export default async function ReferencePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  const api = await loadCatalogApiForPage((await params).id, actor);
  const { document } = await getCatalogDefinition(api.id, { actor });
  if (api.operations.length === 0)
    return <EmptyState title="No operations yet">The publisher has not described any operation of this API.</EmptyState>;
  return <ApiReferenceLoader document={document} />;
}
