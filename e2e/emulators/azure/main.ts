import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startAzureEmulator } from "./server";

// npm run emulator:azure -- --port 4600 --data-port 4601 [--page-size 100] [--cert-out <file>]
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4600" },
    "data-port": { type: "string", default: "4601" },
    "page-size": { type: "string" },
    "cert-out": { type: "string" },
  },
});

async function main(): Promise<void> {
  const emulator = await startAzureEmulator({
    port: Number(values.port),
    dataPort: Number(values["data-port"]),
    ...(values["page-size"] ? { pageSize: Number(values["page-size"]) } : {}),
  });
  if (values["cert-out"]) writeFileSync(values["cert-out"], emulator.caCertificate);
  console.log(`Azure API Management emulator: management ${emulator.url}, data plane ${emulator.dataUrl}`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
