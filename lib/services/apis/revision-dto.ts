import type { ApiRevisionRow, ApiSettingsSnapshot } from "@/lib/db/schema";

export interface RevisionSummary {
  id: string;
  apiId: string;
  number: number;
  description: string;
  operationCount: number;
  sourceSpec: string;
  deployed: boolean;
  createdBy: string | null;
  createdByEmail: string | null;
  createdAt: string;
}

export interface RevisionDetail extends RevisionSummary {
  settings: ApiSettingsSnapshot;
  definition: Record<string, unknown>;
}

export type RevisionSummaryRow = Pick<
  ApiRevisionRow,
  "id" | "apiId" | "number" | "description" | "operationCount" | "sourceSpec" | "createdBy" | "createdByEmail" | "createdAt"
>;

export function toRevisionSummary(row: RevisionSummaryRow, deployed: boolean): RevisionSummary {
  return {
    id: row.id,
    apiId: row.apiId,
    number: row.number,
    description: row.description,
    operationCount: row.operationCount,
    sourceSpec: row.sourceSpec,
    deployed,
    createdBy: row.createdBy,
    createdByEmail: row.createdByEmail,
    createdAt: row.createdAt.toISOString(),
  };
}
