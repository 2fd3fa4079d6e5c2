"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { useActionForm } from "@/components/shared/use-action-form";
import { deleteTierAction } from "@/lib/actions/admin/delete-tier";
import type { PolicyKind } from "@/lib/services/tiers/schemas";
import type { TierView } from "@/lib/services/tiers/tier-dto";

export function TiersTable({ kind, tiers }: { kind: PolicyKind; tiers: TierView[] }) {
  const router = useRouter();
  const remove = useActionForm(deleteTierAction);

  async function onDelete(tier: TierView) {
    if (!window.confirm(`Delete ${tier.displayName}? This cannot be undone.`)) return;
    if (await remove.run({ kind, name: tier.name })) {
      toast.success(`${tier.displayName} deleted`);
      router.refresh();
    }
  }

  return (
    <>
      {remove.error && (
        <div className="px-4 pt-4">
          <FormError message={remove.error} />
        </div>
      )}
      <Table aria-label="Tiers">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Limit</Th>
            <Th>Description</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {tiers.map((t) => (
            <tr key={t.id} data-testid={`tier-row-${t.name}`}>
              <Td>
                <div className="font-medium">{t.displayName}</div>
                {t.displayName !== t.name && <div className="font-mono text-xs text-slate-600 dark:text-slate-400">{t.name}</div>}
              </Td>
              <Td>{t.summary}</Td>
              <Td className="max-w-sm text-slate-600 dark:text-slate-400">{t.description}</Td>
              <Td className="text-right whitespace-nowrap">
                <Link
                  href={`/admin/tiers/${kind}/${encodeURIComponent(t.name)}`}
                  className="mr-3 text-sm text-brand-700 hover:underline dark:text-brand-100"
                  aria-label={`Edit ${t.name}`}
                >
                  Edit
                </Link>
                <Button variant="secondary" size="sm" onClick={() => onDelete(t)} disabled={remove.pending} aria-label={`Delete ${t.name}`}>
                  Delete
                </Button>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
