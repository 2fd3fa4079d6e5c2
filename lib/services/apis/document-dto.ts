import type { ApiDocumentRow } from "@/lib/db/schema";
import { renderMarkdown } from "@/lib/domain/markdown";

export interface ApiDocument {
  id: string;
  apiId: string;
  title: string;
  kind: ApiDocumentRow["kind"];
  sourceType: ApiDocumentRow["sourceType"];
  content: string;
  url: string | null;
  /** Sanitized HTML of a markdown document; safe to insert into a page. */
  html: string | null;
  updatedAt: string;
}

export function toApiDocument(row: ApiDocumentRow, options: { render?: boolean } = {}): ApiDocument {
  return {
    id: row.id,
    apiId: row.apiId,
    title: row.title,
    kind: row.kind,
    sourceType: row.sourceType,
    content: row.content,
    url: row.url,
    html: options.render && row.sourceType === "markdown" ? renderMarkdown(row.content) : null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
