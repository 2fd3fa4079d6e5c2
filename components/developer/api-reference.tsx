"use client";

import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";
import { useTheme } from "next-themes";
import { useMemo } from "react";

// Scalar's colours brought to the portal's palette (slate), so the reference sits in the page.
const SCALAR_CSS = `
.scalar-app { --scalar-font: var(--font-sans); }
.dark-mode { --scalar-background-1: #0f172a; --scalar-background-2: #1e293b; --scalar-background-3: #334155; --scalar-border-color: #1e293b; }
`;

/**
 * The OpenAPI reference, rendered by Scalar from the document the server passes in (no fetch).
 * Scalar's own request client and its hosted services (AI agent, MCP, telemetry, fonts) are off:
 * calls go through the portal's Try it page, which knows the user's applications.
 */
export function ApiReference({ document }: { document: Record<string, unknown> }) {
  const { resolvedTheme } = useTheme();
  const dark = resolvedTheme === "dark";
  const configuration = useMemo(
    () => ({
      content: document,
      layout: "modern" as const,
      theme: "default" as const,
      showSidebar: true,
      hideClientButton: true,
      hideTestRequestButton: true,
      hideDarkModeToggle: true,
      forceDarkModeState: dark ? ("dark" as const) : ("light" as const),
      darkMode: dark,
      withDefaultFonts: false,
      telemetry: false,
      showDeveloperTools: "never" as const,
      agent: { disabled: true },
      mcp: { disabled: true },
      documentDownloadType: "none" as const,
      defaultOpenFirstTag: true,
      customCss: SCALAR_CSS,
    }),
    [document, dark],
  );
  return (
    <div
      className="overflow-hidden rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
      data-testid="api-reference"
    >
      <ApiReferenceReact configuration={configuration} />
    </div>
  );
}
