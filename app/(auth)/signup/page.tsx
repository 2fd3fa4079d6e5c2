import type { Metadata } from "next";
import Link from "next/link";
import { getSettings } from "@/lib/services/settings/get-settings";
import { SignUpForm } from "./signup-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  const { selfSignup } = await getSettings();
  if (!selfSignup) {
    return (
      <div className="space-y-3">
        <h1 className="text-xl font-semibold">Sign-up is closed</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          This Meridian does not take self sign-ups. Ask an administrator for an invitation.
        </p>
        <Link href="/signin" className="text-sm font-medium text-brand-600 dark:text-brand-100 hover:underline">
          Back to sign in
        </Link>
      </div>
    );
  }
  return <SignUpForm />;
}
