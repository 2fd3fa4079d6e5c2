"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { isCurrentPath } from "@/components/ui/current-path";

export interface SectionTab {
  /** Appended to `base`; "" for the section's overview. */
  segment: string;
  label: string;
}

/** Sections of one resource as links under `base` (each its own route, loading only its data). */
export function SectionTabs({ base, tabs, label }: { base: string; tabs: readonly SectionTab[]; label: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="mb-6 flex gap-1 overflow-x-auto border-b border-slate-200 dark:border-slate-800">
      {tabs.map((tab) => {
        const href = `${base}${tab.segment}`;
        const active = isCurrentPath(pathname, href, tab.segment === "");
        return (
          <Link
            key={tab.segment}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-4 py-2 text-sm font-medium whitespace-nowrap",
              active
                ? "border-brand-600 text-brand-700 dark:text-brand-100"
                : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
