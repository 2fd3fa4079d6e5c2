import type { Metadata } from "next";
import { TryItConsole } from "@/components/developer/try-it/try-it-console";
import { getSessionActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listApplications } from "@/lib/services/applications/list-applications";
import { loadCatalogApiForPage } from "../load-api";

export const metadata: Metadata = { title: "Try it" };

export default async function TryItPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  const api = await loadCatalogApiForPage((await params).id, actor);
  const apps = actor && can(actor.roles, "applications:write") ? await listApplications({ pageSize: 100 }, { actor }) : null;
  return (
    <TryItConsole
      api={{ id: api.id, operations: api.operations, gateways: api.gateways, security: api.security }}
      signedIn={actor !== null}
      applications={apps ? apps.items.map((a) => ({ id: a.id, name: a.name, keyTypes: a.keyTypes })) : null}
    />
  );
}
