import type { ReactNode } from "react";
import { AppShell } from "@/components/shared/app-shell";
import { ADMIN_NAV } from "@/components/shared/nav";
import { requirePageActor } from "@/lib/auth/guards";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor("portal:admin");
  return (
    <AppShell actor={actor} portal="admin" nav={ADMIN_NAV} navLabel="Admin">
      {children}
    </AppShell>
  );
}
