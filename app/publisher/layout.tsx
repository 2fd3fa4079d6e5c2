import type { ReactNode } from "react";
import { AppShell } from "@/components/shared/app-shell";
import { PUBLISHER_NAV } from "@/components/shared/nav";
import { requirePageActor } from "@/lib/auth/guards";

export default async function PublisherLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor("portal:publisher");
  return (
    <AppShell actor={actor} portal="publisher" nav={PUBLISHER_NAV} navLabel="Publisher">
      {children}
    </AppShell>
  );
}
