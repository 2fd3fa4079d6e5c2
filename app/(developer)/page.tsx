import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getSessionActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "API catalog" };

export default async function CatalogPage() {
  const actor = await getSessionActor();
  return (
    <>
      <PageHeader title="API catalog" description="Discover the APIs published on this Meridian, read their references and subscribe with your applications." />
      <EmptyState
        title="No APIs are published yet"
        action={
          can(actor?.roles, "portal:publisher") ? (
            <ButtonLink href="/publisher">Open the publisher portal</ButtonLink>
          ) : !actor ? (
            <ButtonLink href="/signup">Create an account</ButtonLink>
          ) : undefined
        }
      >
        {can(actor?.roles, "portal:publisher")
          ? "Publish an API from the publisher portal and it appears here for consumers."
          : "When publishers release APIs, they appear here. Check back soon."}
      </EmptyState>
    </>
  );
}
