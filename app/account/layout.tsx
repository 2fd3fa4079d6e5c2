import type { ReactNode } from "react";
import { AppShell } from "@/components/shared/app-shell";
import { ACCOUNT_NAV } from "@/components/shared/nav";
import { requirePageActor } from "@/lib/auth/guards";

export default async function AccountLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor("tokens:own");
  return (
    <AppShell actor={actor} portal="account" nav={ACCOUNT_NAV} navLabel="Account">
      {children}
    </AppShell>
  );
}
