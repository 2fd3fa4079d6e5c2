"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

const TABS = [
  { segment: "", label: "Overview & settings" },
  { segment: "/definition", label: "Definition" },
  { segment: "/operations", label: "Operations" },
  { segment: "/lifecycle", label: "Lifecycle" },
  { segment: "/revisions", label: "Revisions" },
  { segment: "/deployments", label: "Deployments" },
  { segment: "/documents", label: "Documents" },
];

/** The sections of an API's page, as links (each is its own route, so each loads only its data). */
export function ApiNavTabs({ apiId }: { apiId: string }) {
  const pathname = usePathname();
  const base = `/publisher/apis/${apiId}`;
  return (
    <nav aria-label="API sections" className="mb-6 flex gap-1 overflow-x-auto border-b border-slate-200 dark:border-slate-800">
      {TABS.map((tab) => {
        const href = `${base}${tab.segment}`;
        const active = tab.segment === "" ? pathname === base : pathname.startsWith(href);
        return (
          <Link
            key={tab.segment}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-4 py-2 text-sm font-medium whitespace-nowrap",
              active ? "border-brand-600 text-brand-700 dark:text-brand-100" : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
