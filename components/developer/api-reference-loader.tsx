"use client";

import dynamic from "next/dynamic";
import { LoadingState } from "@/components/ui/loading";

/** The reference renderer is large and browser-only: it loads on the Reference tab alone. */
export const ApiReferenceLoader = dynamic(() => import("./api-reference").then((m) => m.ApiReference), {
  ssr: false,
  loading: () => <LoadingState label="Loading the reference…" />,
});
