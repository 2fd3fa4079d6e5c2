import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsForm } from "@/components/admin/settings-form";
import { requirePageActor } from "@/lib/auth/guards";
import { getSettings } from "@/lib/services/settings/get-settings";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requirePageActor("settings:write");
  const settings = await getSettings();
  return (
    <>
      <PageHeader title="Settings" description="Platform-wide behaviour of sign-up, subscriptions and credentials." />
      <SettingsForm settings={settings} />
    </>
  );
}
