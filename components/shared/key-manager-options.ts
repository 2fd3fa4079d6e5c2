import type { KeyManagerView } from "@/lib/services/key-managers/key-manager-dto";
import type { KeyManagerOption } from "./key-manager-checklist";

/** The choices for a key manager chooser: the registered ones, plus any chosen one beyond the first page. */
export function keyManagerOptions(registered: KeyManagerView[], chosen: KeyManagerView[]): KeyManagerOption[] {
  const all = [...registered, ...chosen.filter((c) => !registered.some((r) => r.id === c.id))];
  return all.map((km) => ({ id: km.id, displayName: km.displayName, issuer: km.issuer, type: km.type }));
}
