"use client";

import { Menu, X } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { isCurrentPath } from "@/components/ui/current-path";

interface MenuLink {
  href: string;
  label: string;
  exact?: boolean;
}

/**
 * The navigation of narrow windows (below the `md` breakpoint, where the side navigation and
 * the portal links of the top bar are hidden): a disclosure button that opens every section of
 * the portal and the other portals. It closes when a link is followed and on Escape.
 */
export function MobileNav({
  label,
  items,
  portals,
  portal,
}: {
  label: string;
  items: MenuLink[];
  portals: Array<MenuLink & { id: string }>;
  portal: string;
}) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);
  const link = (active: boolean) =>
    cn(
      "block rounded-md px-3 py-2 text-sm font-medium",
      active
        ? "bg-brand-50 text-brand-700 dark:bg-brand-700/20 dark:text-brand-100"
        : "text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800",
    );
  return (
    <div className="md:hidden">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="-ml-2 flex items-center rounded-md p-2 text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
      >
        {open ? <X className="h-5 w-5" aria-hidden /> : <Menu className="h-5 w-5" aria-hidden />}
        <span className="sr-only">{open ? "Close menu" : "Menu"}</span>
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute inset-x-0 top-14 z-20 max-h-[calc(100vh-3.5rem)] overflow-y-auto border-b border-slate-200 bg-white px-4 py-3 shadow-lg dark:border-slate-800 dark:bg-slate-900"
      >
        {items.length > 1 && (
          <nav aria-label={label} className="space-y-1">
            {items.map((item) => {
              const active = isCurrentPath(pathname, item.href, item.exact);
              return (
                <Link
                  key={item.href}
                  href={item.href}
                  aria-current={active ? "page" : undefined}
                  className={link(active)}
                  onClick={() => setOpen(false)}
                >
                  {item.label}
                </Link>
              );
            })}
          </nav>
        )}
        {portals.length > 1 && (
          <nav
            aria-label="Portals"
            className={cn("space-y-1", items.length > 1 && "mt-3 border-t border-slate-200 pt-3 dark:border-slate-800")}
          >
            {portals.map((p) => (
              <Link
                key={p.id}
                href={p.href}
                aria-current={p.id === portal ? "true" : undefined}
                className={link(p.id === portal)}
                onClick={() => setOpen(false)}
              >
                {p.label}
              </Link>
            ))}
          </nav>
        )}
      </div>
    </div>
  );
}
