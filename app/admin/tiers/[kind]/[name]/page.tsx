import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { TierForm } from "@/components/admin/tier-form";
import { requirePageActor } from "@/lib/auth/guards";
import { isAppError } from "@/lib/errors";
import { getTier, KIND_LABELS } from "@/lib/services/tiers/list-tiers";
import { policyKindSchema } from "@/lib/services/tiers/schemas";

type Props = { params: Promise<{ kind: string; name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Tier ${decodeURIComponent((await params).name)}` };
}

export default async function EditTierPage({ params }: Props) {
  const actor = await requirePageActor("tiers:write");
  const { kind: rawKind, name } = await params;
  const kind = policyKindSchema.safeParse(rawKind);
  if (!kind.success) notFound();
  const tier = await getTier(kind.data, decodeURIComponent(name), { actor }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href={`/admin/tiers?kind=${kind.data}`} className="text-brand-700 hover:underline dark:text-brand-100">
          Tiers & policies
        </Link>
      </nav>
      <PageHeader title={`Edit ${tier.displayName}`} description={`${KIND_LABELS[kind.data]} · ${tier.summary}`} />
      <Card>
        <CardBody>
          <TierForm kind={kind.data} tier={tier} kindLabel={KIND_LABELS[kind.data]} />
        </CardBody>
      </Card>
    </>
  );
}
