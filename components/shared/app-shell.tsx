import Link from "next/link";
import type { ReactNode } from "react";
import { can, PORTALS } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/services/context";
import { cn } from "@/components/ui/cn";
import { buttonClass } from "@/components/ui/button";
import type { NavItem } from "./nav";
import { MobileNav } from "./mobile-nav";
import { SideNav } from "./side-nav";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";

/** The frame of every portal: top bar with the portals the user may open, side navigation, content. */
export function AppShell({
  actor,
  portal,
  nav,
  navLabel,
  children,
}: {
  actor: Actor | null;
  portal: string;
  nav: NavItem[];
  navLabel: string;
  children: ReactNode;
}) {
  const portals = PORTALS.filter((p) => p.permission === null || can(actor?.roles, p.permission));
  const items = nav.filter((i) => !i.permission || can(actor?.roles, i.permission));
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-10 border-b border-slate-200 bg-white/90 backdrop-blur dark:border-slate-800 dark:bg-slate-900/90">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-4 md:gap-6">
          <MobileNav
            label={navLabel}
            items={items}
            portals={portals.map((p) => ({ id: p.id, href: p.href, label: p.label }))}
            portal={portal}
          />
          <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <span className="inline-block h-6 w-6 rounded-md bg-gradient-to-br from-brand-500 to-indigo-700" aria-hidden />
            Meridian
          </Link>
          <nav aria-label="Portals" className="hidden items-center gap-1 md:flex">
            {portals.map((p) => (
              <Link
                key={p.id}
                href={p.href}
                aria-current={p.id === portal ? "true" : undefined}
                className={cn(
                  "rounded-md px-3 py-1.5 text-sm font-medium",
                  p.id === portal
                    ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900"
                    : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
                )}
              >
                {p.label}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex min-w-0 items-center gap-1 sm:gap-2">
            <ThemeToggle />
            {actor ? (
              <UserMenu email={actor.email} roles={actor.roles} />
            ) : (
              <>
                <Link href="/signin" className={buttonClass("ghost", "sm")}>
                  Sign in
                </Link>
                <Link href="/signup" className={buttonClass("primary", "sm")}>
                  Sign up
                </Link>
              </>
            )}
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl gap-8 px-4 py-6 md:py-8">
        {items.length > 1 && (
          <aside className="hidden w-52 shrink-0 md:block">
            <SideNav label={navLabel} items={items} />
          </aside>
        )}
        <main id="main" className="min-w-0 flex-1">
          {children}
        </main>
      </div>
    </div>
  );
}
