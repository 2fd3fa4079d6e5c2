import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(__dirname) };
const onPostgres = !!process.env.DATABASE_URL;

export default defineConfig({
  resolve: { alias },
  test: {
    // On the embedded database each file gets its own in-memory instance; on one PostgreSQL
    // database files run one after another so that platform settings do not race.
    fileParallelism: !onPostgres,
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "gateway/**/*.test.ts", "agent/**/*.test.ts", "components/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/setup.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/setup.ts", "tests/setup-integration.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
