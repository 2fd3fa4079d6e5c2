import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { apis } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { apiMetaColumns, canSeeAllApis, contextHolder, contextTakenError, loadApiForActor, ownersOf, resolveOwners } from "./access";
import { toApiDetail, type ApiDetail } from "./api-dto";
import { apiSettingsSchema, type ApiSettingsInput } from "./schemas";
import { apiSearchText } from "./search-text";
import { resolveTierNames } from "./tiers";

/** Changes the settings of an API (not its document). Owners may edit; admins too. */
export async function updateApi(id: string, input: ApiSettingsInput, ctx: ServiceContext): Promise<ApiDetail> {
  const patch = parseInput(apiSettingsSchema, input);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const { actor, api } = await loadApiForActor(tx, id, ctx, { write: true, lock: true });
      const next = { ...patch, owners: undefined as string[] | undefined, searchText: undefined as string | undefined };
      if (patch.allowedTiers) next.allowedTiers = await resolveTierNames(patch.allowedTiers, tx);
      if (patch.name !== undefined || patch.context !== undefined || patch.tags !== undefined) {
        next.searchText = apiSearchText({
          name: patch.name ?? api.name,
          context: patch.context ?? api.context,
          tags: patch.tags ?? api.tags,
        });
      }
      if (patch.owners) {
        next.owners = await resolveOwners(tx, patch.owners);
        if (!canSeeAllApis(actor) && !next.owners.includes(actor.id)) {
          throw new AppError("validation_failed", "You cannot remove yourself from the owners: ask another owner or an admin.", {
            fieldErrors: { owners: "You cannot remove yourself from the owners." },
          });
        }
      }
      const visibility = patch.visibility ?? api.visibility;
      const visibleRoles = patch.visibleRoles ?? api.visibleRoles;
      if (visibility === "roles" && visibleRoles.length === 0) {
        throw new AppError("validation_failed", "Choose at least one role that may see the API.", {
          fieldErrors: { visibleRoles: "Choose at least one role." },
        });
      }
      const context = patch.context ?? api.context;
      const version = patch.version ?? api.version;
      if (context !== api.context || version !== api.version) {
        const holder = await contextHolder(tx, context, version, id);
        if (holder) throw contextTakenError(context, version, holder);
      }
      const changes = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
      if (Object.keys(changes).length === 0) return toApiDetail(api, await ownersOf(tx, api.owners));
      const [row] = await tx.update(apis).set(changes).where(eq(apis.id, id)).returning(apiMetaColumns);
      await writeAudit(tx, ctx, { action: "api.update", objectType: "api", objectId: id, details: { fields: Object.keys(changes) } });
      return toApiDetail(row, await ownersOf(tx, row.owners));
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const current = (await db.select({ context: apis.context, version: apis.version }).from(apis).where(eq(apis.id, id)))[0];
      const context = patch.context ?? current?.context ?? "";
      const version = patch.version ?? current?.version ?? "";
      throw contextTakenError(context, version, await contextHolder(db, context, version, id));
    }
    throw error;
  }
}
