import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // A separate build directory lets two builds (for example two test runs) coexist.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Native and WASM packages stay outside the server bundle.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "@node-rs/argon2", "pino", "postgres"],
  experimental: {
    // Enables forbidden() so that a wrong role renders a real 403 page.
    authInterrupts: true,
  },
  poweredByHeader: false,
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
