import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // A separate build directory lets two builds (for example two test runs) coexist.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Native and WASM packages stay outside the server bundle.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pino", "postgres", "@kubernetes/client-node"],
  experimental: {
    // Enables forbidden() so that a wrong role renders a real 403 page.
    authInterrupts: true,
  },
  poweredByHeader: false,
  // `npm test` type-checks the whole project once (tsc --noEmit); the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
