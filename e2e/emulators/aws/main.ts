import { parseArgs } from "node:util";
import { DEFAULT_CREDENTIALS, startAwsEmulator } from "./server";

/**
 * npm run emulator:aws -- --port 4566 --data-port 4567 [--host 127.0.0.1] [--region eu-west-1]
 *   [--access-key-id …] [--secret-access-key …]
 * Credentials also come from AWS_EMULATOR_ACCESS_KEY_ID / AWS_EMULATOR_SECRET_ACCESS_KEY.
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4566" },
    "data-port": { type: "string", default: "4567" },
    host: { type: "string", default: "127.0.0.1" },
    region: { type: "string", default: "eu-west-1" },
    "access-key-id": { type: "string" },
    "secret-access-key": { type: "string" },
  },
});

const port = Number(values.port);
const dataPort = Number(values["data-port"]);
if (!Number.isInteger(port) || !Number.isInteger(dataPort)) {
  console.error("--port and --data-port take port numbers.");
  process.exit(2);
}
const accessKeyId = values["access-key-id"] ?? process.env.AWS_EMULATOR_ACCESS_KEY_ID ?? DEFAULT_CREDENTIALS.accessKeyId;
const secretAccessKey = values["secret-access-key"] ?? process.env.AWS_EMULATOR_SECRET_ACCESS_KEY ?? DEFAULT_CREDENTIALS.secretAccessKey;

async function main() {
  const emulator = await startAwsEmulator({
    port,
    dataPort,
    host: values.host,
    region: values.region,
    credentials: [{ accessKeyId, secretAccessKey }],
  });
  console.log(`AWS API Gateway emulator: management ${emulator.url}, data plane ${emulator.dataUrl}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await emulator.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error(`AWS API Gateway emulator could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
