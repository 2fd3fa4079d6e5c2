import { inArray } from "drizzle-orm";
import type { KeyManagerInfo } from "@/lib/connectors/types";
import type { DbOrTx } from "@/lib/db/client";
import { BUILTIN_KEY_MANAGER_ID, keyManagers } from "@/lib/db/schema";
import { discoveryUrlOf } from "@/lib/domain/key-managers/discovery";
import { acceptedKeyManagerIds } from "./api-key-managers";
import { environmentTrust } from "./environment-key-managers";

/** The key managers an API accepts and the environment allows, as push connectors write them (Azure validate-jwt, the AWS authorizer's issuers). */
export async function keyManagerInfosFor(
  db: DbOrTx,
  apiId: string,
  environmentId: string,
  builtin: KeyManagerInfo,
): Promise<KeyManagerInfo[]> {
  const allowed = await environmentTrust(db, environmentId);
  const ids = (await acceptedKeyManagerIds(db, [apiId])).get(apiId)!.filter((id) => !allowed || allowed.has(id));
  const external = ids.filter((id) => id !== BUILTIN_KEY_MANAGER_ID);
  const rows = external.length ? await db.select().from(keyManagers).where(inArray(keyManagers.id, external)) : [];
  return [
    ...(ids.includes(BUILTIN_KEY_MANAGER_ID) ? [builtin] : []),
    ...rows
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((r) => ({
        id: r.id,
        issuer: r.issuer,
        audience: r.audiences[0],
        audiences: r.audiences,
        jwksUri: r.jwksUri,
        openidConfigurationUrl: discoveryUrlOf(r.issuer),
        clientIdClaim: r.clientIdClaim,
      })),
  ];
}
