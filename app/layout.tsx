import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/shared/providers";
import { NONCE_HEADER } from "@/lib/web/content-security-policy";
import "./globals.css";

// Every page reads the session or the database: nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Meridian", template: "%s · Meridian" },
  description: "One control plane for every API gateway.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The Content-Security-Policy's nonce, for the inline script that applies the theme early.
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <body>
        <Providers nonce={nonce}>{children}</Providers>
      </body>
    </html>
  );
}
