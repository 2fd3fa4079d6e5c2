"use client";

import dynamic from "next/dynamic";
import { LoadingState } from "@/components/ui/loading";

/** The editor runs in the browser only (CodeMirror measures the DOM). */
export const DefinitionEditorLoader = dynamic(() => import("./definition-editor").then((m) => m.DefinitionEditor), {
  ssr: false,
  loading: () => <LoadingState label="Loading the editor…" />,
});
