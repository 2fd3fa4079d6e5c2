import type { Metadata } from "next";
import { DocumentsPanel } from "@/components/publisher/documents-panel";
import { requirePageActor } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { listDocuments } from "@/lib/services/apis/list-documents";
import { loadApiForPage } from "../load-api";

export const metadata: Metadata = { title: "API documents" };

export default async function DocumentsPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("apis:read");
  const { id } = await params;
  const api = await loadApiForPage(id, actor);
  const documents = await listDocuments(api.id, { actor }, { render: true });
  return <DocumentsPanel apiId={api.id} documents={documents} canWrite={can(actor.roles, "apis:write")} />;
}
