import type { ReactNode } from "react";
import { AppShell } from "@/components/shared/app-shell";
import { DEVELOPER_NAV } from "@/components/shared/nav";
import { getSessionActor } from "@/lib/auth/session";

/** The developer portal is open to anonymous visitors; its pages check anything more. */
export default async function DeveloperLayout({ children }: { children: ReactNode }) {
  const actor = await getSessionActor();
  return (
    <AppShell actor={actor} portal="developer" nav={DEVELOPER_NAV} navLabel="Developer portal">
      {children}
    </AppShell>
  );
}
