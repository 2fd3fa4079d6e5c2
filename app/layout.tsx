import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/shared/providers";
import "./globals.css";

// Every page reads the session or the database: nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Meridian", template: "%s · Meridian" },
  description: "One control plane for every API gateway.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
