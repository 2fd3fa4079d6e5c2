import type { Metadata } from "next";
import { MarkdownHtml } from "@/components/developer/markdown-html";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { getSessionActor } from "@/lib/auth/session";
import { listCatalogDocuments } from "@/lib/services/catalog/get-catalog-api";
import { loadCatalogApiForPage } from "../load-api";

export const metadata: Metadata = { title: "API documents" };

const KIND_LABELS = { "how-to": "How-to", sample: "Sample", other: "Document" } as const;

export default async function DocumentsPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  const api = await loadCatalogApiForPage((await params).id, actor);
  const documents = await listCatalogDocuments(api.id, { actor });
  if (documents.length === 0)
    return <EmptyState title="No documents">The publisher has not added guides or samples to this API yet.</EmptyState>;
  return (
    <div className="grid gap-6 lg:grid-cols-[14rem_1fr]">
      <nav aria-label="Documents" className="space-y-1 text-sm lg:sticky lg:top-20 lg:self-start">
        {documents.map((d) => (
          <a
            key={d.id}
            href={d.sourceType === "url" ? d.url! : `#${d.id}`}
            className="block rounded px-2 py-1 text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
            {...(d.sourceType === "url" ? { target: "_blank", rel: "noopener noreferrer nofollow" } : {})}
          >
            {d.title}
            {d.sourceType === "url" && <span aria-hidden> ↗</span>}
          </a>
        ))}
      </nav>
      <div className="space-y-6">
        {documents.map((d) => (
          <Card key={d.id} id={d.id} className="scroll-mt-20">
            <CardHeader title={d.title} description={KIND_LABELS[d.kind]} />
            <CardBody>
              {d.sourceType === "url" ? (
                <a
                  href={d.url!}
                  target="_blank"
                  rel="noopener noreferrer nofollow"
                  className="text-sm break-all text-brand-600 dark:text-brand-100 hover:underline"
                >
                  {d.url}
                </a>
              ) : (
                <MarkdownHtml html={d.html ?? ""} />
              )}
            </CardBody>
          </Card>
        ))}
      </div>
    </div>
  );
}
