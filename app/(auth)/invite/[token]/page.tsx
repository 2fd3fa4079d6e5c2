import type { Metadata } from "next";
import Link from "next/link";
import { getInvitation } from "@/lib/services/users/accept-invitation";
import { AcceptInvitationForm } from "./accept-form";

export const metadata: Metadata = { title: "Accept invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await getInvitation(token);
  if (!invitation) {
    return (
      <div className="space-y-3">
        <h1 className="text-xl font-semibold">Invitation not valid</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          This invitation was used, has expired or does not exist. Ask an administrator for a new one.
        </p>
        <Link href="/signin" className="text-sm font-medium text-brand-600 dark:text-brand-100 hover:underline">
          Go to sign in
        </Link>
      </div>
    );
  }
  return <AcceptInvitationForm token={token} email={invitation.email} name={invitation.name} />;
}
