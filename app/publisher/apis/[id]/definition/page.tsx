import type { Metadata } from "next";
import { DefinitionEditorLoader } from "@/components/publisher/definition-editor-loader";
import { requirePageActor } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { getApiDefinitionSource } from "@/lib/services/apis/get-api";
import { loadApiForPage } from "../load-api";

export const metadata: Metadata = { title: "API definition" };

export default async function DefinitionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("apis:read");
  const { id } = await params;
  const api = await loadApiForPage(id, actor);
  const definition = await getApiDefinitionSource(api.id, { actor });
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        The document as you wrote it ({definition.format.toUpperCase()}). Swagger 2.0 is stored normalized to OpenAPI 3; the API serves{" "}
        <a className="text-brand-600 dark:text-brand-100 hover:underline" href={`/api/v1/apis/${api.id}/definition`}>
          the normalized document
        </a>
        . External $refs are refused: keep the document self-contained.
      </p>
      <DefinitionEditorLoader apiId={api.id} initialSource={definition.source} canWrite={can(actor.roles, "apis:write")} />
    </div>
  );
}
