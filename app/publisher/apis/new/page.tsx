import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingState } from "@/components/ui/loading";
import { PageHeader } from "@/components/ui/page-header";
import { CreateApiTabs } from "@/components/publisher/create-api/create-api-tabs";
import { requirePageActor } from "@/lib/auth/guards";
import { formatBytes } from "@/lib/services/apis/definition-input";
import { maxDefinitionBytes } from "@/lib/services/apis/limits";
import { getApi } from "@/lib/services/apis/get-api";
import { listApis } from "@/lib/services/apis/list-apis";

export const metadata: Metadata = { title: "Create an API" };

export default async function NewApiPage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  const actor = await requirePageActor("apis:write");
  const { from } = await searchParams;
  const sources = (await listApis({ pageSize: 100 }, { actor })).items;
  // The API to copy may be past the first page of the list.
  if (from && !sources.some((s) => s.id === from)) {
    const api = await getApi(from.slice(0, 64), { actor }).catch(() => null);
    if (api) sources.unshift(api);
  }
  return (
    <>
      <PageHeader
        title="Create an API"
        description="Import an OpenAPI 3.0, 3.1 or Swagger 2.0 document, start from scratch, or make a new version of one of your APIs."
      />
      <Suspense fallback={<LoadingState />}>
        <CreateApiTabs
          sources={sources.map((a) => ({ id: a.id, name: a.name, version: a.version, context: a.context }))}
          maxBytesLabel={formatBytes(maxDefinitionBytes())}
        />
      </Suspense>
    </>
  );
}
