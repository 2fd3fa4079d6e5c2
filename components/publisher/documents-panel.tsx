"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { createDocumentAction } from "@/lib/actions/publisher/create-document";
import { deleteDocumentAction } from "@/lib/actions/publisher/delete-document";
import { updateDocumentAction } from "@/lib/actions/publisher/update-document";
import type { ApiDocument } from "@/lib/services/apis/document-dto";
import { DocumentForm, type DocumentFormValues } from "./document-form";

const KIND_LABEL = { "how-to": "How-to", sample: "Sample", other: "Other" } as const;

export function DocumentsPanel({ apiId, documents, canWrite }: { apiId: string; documents: ApiDocument[]; canWrite: boolean }) {
  const router = useRouter();
  const create = useActionForm(createDocumentAction);
  const update = useActionForm(updateDocumentAction);
  const remove = useActionForm(deleteDocumentAction);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);

  async function onCreate(values: DocumentFormValues) {
    const input =
      values.sourceType === "markdown"
        ? { title: values.title, kind: values.kind, sourceType: "markdown" as const, content: values.content }
        : { title: values.title, kind: values.kind, sourceType: "url" as const, url: values.url };
    if (await create.run({ id: apiId, input })) {
      toast.success(`Document "${values.title}" added`);
      setAdding(false);
      router.refresh();
    }
  }

  async function onUpdate(doc: ApiDocument, values: DocumentFormValues) {
    const patch =
      doc.sourceType === "markdown"
        ? { title: values.title, kind: values.kind, content: values.content }
        : { title: values.title, kind: values.kind, url: values.url };
    if (await update.run({ id: apiId, documentId: doc.id, patch })) {
      toast.success(`Document "${values.title}" saved`);
      setEditing(null);
      router.refresh();
    }
  }

  async function onDelete(doc: ApiDocument) {
    if (!window.confirm(`Delete the document "${doc.title}"?`)) return;
    if (await remove.run({ id: apiId, documentId: doc.id })) {
      toast.success(`Document "${doc.title}" deleted`);
      router.refresh();
    }
  }

  return (
    <div className="space-y-6">
      {canWrite &&
        (adding ? (
          <Card>
            <CardHeader title="Add a document" />
            <CardBody>
              <DocumentForm
                onSubmit={onCreate}
                onCancel={() => setAdding(false)}
                pending={create.pending}
                error={create.error}
                fieldErrors={create.fieldErrors}
                submitLabel="Add document"
              />
            </CardBody>
          </Card>
        ) : (
          <Button onClick={() => setAdding(true)}>Add a document</Button>
        ))}
      {documents.length === 0 && !adding && (
        <EmptyState title="No documents yet">
          Add how-to guides, samples or links to external documentation; consumers see them with the API.
        </EmptyState>
      )}
      {documents.map((doc) => (
        <Card key={doc.id} data-testid={`document-${doc.title}`}>
          <CardHeader
            title={
              <span className="flex items-center gap-2">
                {doc.title} <Badge>{KIND_LABEL[doc.kind]}</Badge>
              </span>
            }
            actions={
              canWrite && editing !== doc.id ? (
                <span className="flex gap-2">
                  <Button variant="secondary" size="sm" onClick={() => setEditing(doc.id)} aria-label={`Edit ${doc.title}`}>
                    Edit
                  </Button>
                  <Button
                    variant="ghost"
                    size="sm"
                    onClick={() => onDelete(doc)}
                    disabled={remove.pending}
                    aria-label={`Delete ${doc.title}`}
                  >
                    Delete
                  </Button>
                </span>
              ) : undefined
            }
          />
          <CardBody>
            {editing === doc.id ? (
              <DocumentForm
                initial={doc}
                onSubmit={(v) => onUpdate(doc, v)}
                onCancel={() => setEditing(null)}
                pending={update.pending}
                error={update.error}
                fieldErrors={update.fieldErrors}
                submitLabel="Save document"
              />
            ) : doc.sourceType === "url" ? (
              <a
                href={doc.url ?? "#"}
                target="_blank"
                rel="noopener noreferrer nofollow"
                className="text-sm text-brand-600 dark:text-brand-100 hover:underline"
              >
                {doc.url}
              </a>
            ) : (
              // The HTML was sanitized on the server (lib/domain/markdown): no scripts, handlers or javascript: URLs.
              <div
                className="prose-doc max-w-none text-sm leading-6 [&_a]:text-brand-600 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 dark:[&_code]:bg-slate-800 [&_h1]:text-xl [&_h1]:font-semibold [&_h2]:text-lg [&_h2]:font-semibold [&_li]:ml-5 [&_ol]:list-decimal [&_p]:my-2 [&_pre]:overflow-auto [&_pre]:rounded [&_pre]:bg-slate-100 [&_pre]:p-3 dark:[&_pre]:bg-slate-800 [&_table]:border [&_td]:border [&_td]:px-2 [&_th]:border [&_th]:px-2 [&_ul]:list-disc"
                dangerouslySetInnerHTML={{ __html: doc.html ?? "" }}
              />
            )}
          </CardBody>
        </Card>
      ))}
      <FormError message={remove.error} />
    </div>
  );
}
