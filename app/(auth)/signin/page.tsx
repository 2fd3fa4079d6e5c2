import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/session";
import { getSettings } from "@/lib/services/settings/get-settings";
import { SignInForm } from "./signin-form";

export const metadata: Metadata = { title: "Sign in" };

function safeCallback(url: string | undefined): string {
  // Only local paths: an open redirect would let a link send users anywhere after sign-in.
  return url && url.startsWith("/") && !url.startsWith("//") ? url : "/";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const target = safeCallback(callbackUrl);
  if (await getSessionActor()) redirect(target);
  const { selfSignup } = await getSettings();
  return (
    <SignInForm callbackUrl={target} selfSignup={selfSignup} initialError={error && error !== "CredentialsSignin" ? error : undefined} />
  );
}
