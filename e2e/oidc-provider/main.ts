import { startOidcProvider } from "./provider";

/**
 * The OpenID provider of the browser tests, as its own process:
 * `tsx e2e/oidc-provider/main.ts --port <port>`. Dynamic registration takes the initial access
 * token `E2E_OIDC_INITIAL_ACCESS_TOKEN` (default below); tokens are for `https://api.e2e.test`.
 */
async function main() {
  const args = process.argv.slice(2);
  const portArg = args.indexOf("--port");
  const port = portArg >= 0 ? Number(args[portArg + 1]) : 0;
  const running = await startOidcProvider({
    port,
    audience: "https://api.e2e.test",
    initialAccessToken: process.env.E2E_OIDC_INITIAL_ACCESS_TOKEN || "e2e-initial-access-token",
  });
  console.log(`OpenID provider at ${running.issuer}`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error(`The OpenID provider could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
