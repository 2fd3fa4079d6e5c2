import fs from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/** Debian's Chromium; never a downloaded browser. CHROMIUM_PATH overrides the detection. */
function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"].filter(
    Boolean,
  ) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error("No Chromium found: install Debian's chromium package or set CHROMIUM_PATH.");
  return found;
}

const port = Number(process.env.E2E_PORT || 3100);
const baseURL = `http://localhost:${port}`;
// `npm start` runs the built-in gateway of the default environment beside the web app.
const gatewayPort = Number(process.env.E2E_GATEWAY_PORT || port + 1000);
process.env.E2E_GATEWAY_URL = `http://localhost:${gatewayPort}`;
const dataDir = path.resolve(process.env.E2E_DATA_DIR || `.e2e-data/${port}`);
// The test process reaches the same database as the server: through DATABASE_URL, or
// through the embedded database the server serves from this data directory.
process.env.MERIDIAN_DATA_DIR = dataDir;
process.env.E2E_BASE_URL = baseURL;
// Explicit secrets: on a PostgreSQL server (DATABASE_URL) Meridian refuses to start without them.
process.env.MERIDIAN_SECRET_KEY ??= "e2e-secret-key-0123456789abcdef0123456789";
process.env.NEXTAUTH_SECRET ??= "e2e-nextauth-secret-0123456789";
// Emulators of the vendors' APIs, each with a management and a data-plane port.
const awsPort = port + 1200;
const azurePort = port + 1300;
process.env.E2E_AWS_URL = `http://127.0.0.1:${awsPort}`;
process.env.E2E_AWS_DATA_URL = `http://127.0.0.1:${awsPort + 1}`;
process.env.E2E_AZURE_URL = `https://127.0.0.1:${azurePort}`;
process.env.E2E_AZURE_DATA_URL = `http://127.0.0.1:${azurePort + 1}`;
process.env.E2E_AZURE_CA_FILE = `${dataDir}-azure-ca.pem`;
// A Kubernetes API server with Envoy Gateway's controller, and its Envoy data plane.
const k8sPort = port + 1500;
process.env.E2E_K8S_URL = `https://127.0.0.1:${k8sPort}`;
process.env.E2E_K8S_DATA_URL = `http://127.0.0.1:${k8sPort + 1}`;
process.env.E2E_K8S_CA_FILE = `${dataDir}-k8s-ca.pem`;
// Kong: the Admin API and the proxy.
const kongPort = port + 1400;
process.env.E2E_KONG_ADMIN_URL = `http://127.0.0.1:${kongPort}`;
process.env.E2E_KONG_PROXY_URL = `http://127.0.0.1:${kongPort + 1}`;
// The HAProxy agent's browser test: HAProxy listens here (and the ports just above, if needed).
process.env.E2E_HAPROXY_PORT = String(port + 1700);
// A real OpenID provider (oidc-provider) for the external key manager tests.
const oidcPort = port + 1600;
process.env.E2E_OIDC_URL = `http://127.0.0.1:${oidcPort}`;
fs.mkdirSync(path.dirname(dataDir), { recursive: true });

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS || 2),
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "auth", testMatch: "auth/**/*.spec.ts", use: { ...devices["Desktop Chrome"] } },
    { name: "admin", testMatch: "admin/**/*.spec.ts", use: { ...devices["Desktop Chrome"] } },
    { name: "publisher", testMatch: "publisher/**/*.spec.ts", use: { ...devices["Desktop Chrome"] } },
    { name: "developer", testMatch: "developer/**/*.spec.ts", use: { ...devices["Desktop Chrome"] } },
    { name: "analytics", testMatch: "analytics/**/*.spec.ts", use: { ...devices["Desktop Chrome"] } },
    // Every portal's main pages through axe, in the light and the dark theme.
    { name: "a11y", testMatch: "a11y/**/*.spec.ts", use: { ...devices["Desktop Chrome"] } },
    // A phone-sized window (the iPhone 13's 390 px viewport) in Chromium.
    {
      name: "mobile",
      testMatch: "mobile/**/*.spec.ts",
      use: { ...devices["Desktop Chrome"], viewport: devices["iPhone 13"].viewport, isMobile: true, hasTouch: true },
    },
  ],
  webServer: [
    {
      command: `node_modules/.bin/tsx e2e/emulators/aws/main.ts --port ${awsPort} --data-port ${awsPort + 1}`,
      url: `${process.env.E2E_AWS_URL}/_emulator/state`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `node_modules/.bin/tsx e2e/emulators/azure/main.ts --port ${azurePort} --data-port ${azurePort + 1} --cert-out "${process.env.E2E_AZURE_CA_FILE}"`,
      url: `${process.env.E2E_AZURE_URL}/_emulator/state`,
      ignoreHTTPSErrors: true,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `node_modules/.bin/tsx e2e/emulators/k8s/main.ts --port ${k8sPort} --data-port ${k8sPort + 1} --cert-out "${process.env.E2E_K8S_CA_FILE}"`,
      url: `${process.env.E2E_K8S_URL}/_emulator/state`,
      ignoreHTTPSErrors: true,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `node_modules/.bin/tsx e2e/emulators/kong/main.ts --port ${kongPort} --proxy-port ${kongPort + 1}`,
      url: `${process.env.E2E_KONG_ADMIN_URL}/_emulator/state`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `node_modules/.bin/tsx e2e/oidc-provider/main.ts --port ${oidcPort}`,
      url: `${process.env.E2E_OIDC_URL}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `rm -rf "${dataDir}" && node --import tsx scripts/start.ts`,
      url: `${baseURL}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        PORT: String(port),
        MERIDIAN_GATEWAY_PORT: String(gatewayPort),
        HOST: "127.0.0.1",
        MERIDIAN_DATA_DIR: dataDir,
        NEXTAUTH_URL: baseURL,
        NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET,
        MERIDIAN_SECRET_KEY: process.env.MERIDIAN_SECRET_KEY,
        MERIDIAN_ADMIN_EMAIL: "admin@e2e.test",
        MERIDIAN_ADMIN_PASSWORD: "E2e-admin-password-1",
        LOG_LEVEL: "warn",
        // Deployment jobs retry quickly in tests.
        MERIDIAN_JOB_BACKOFF_MS: "300",
        // The OpenID provider of the key manager tests listens on 127.0.0.1.
        MERIDIAN_ALLOW_PRIVATE_URLS: "true",
      },
    },
  ],
});
