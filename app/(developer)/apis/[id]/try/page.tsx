import type { Metadata } from "next";
import { TryItConsole } from "@/components/developer/try-it/try-it-console";
import { getSessionActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listApplications } from "@/lib/services/applications/list-applications";
import { listOwnedExternalClients } from "@/lib/services/key-managers/key-manager-clients";
import { loadCatalogApiForPage } from "../load-api";

export const metadata: Metadata = { title: "Try it" };

export default async function TryItPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  const api = await loadCatalogApiForPage((await params).id, actor);
  const mayUseApps = actor && can(actor.roles, "applications:write");
  const apps = mayUseApps ? await listApplications({ pageSize: 100 }, { actor }) : null;
  const externalClients = mayUseApps ? await listOwnedExternalClients({ actor }) : [];
  return (
    <TryItConsole
      api={{ id: api.id, operations: api.operations, gateways: api.gateways, security: api.security }}
      signedIn={actor !== null}
      applications={
        apps
          ? apps.items.map((a) => ({
              id: a.id,
              name: a.name,
              keyTypes: a.keyTypes,
              externalClients: externalClients.filter((c) => c.applicationId === a.id),
            }))
          : null
      }
    />
  );
}
