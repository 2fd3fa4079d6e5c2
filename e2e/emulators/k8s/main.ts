import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { K8S_DEFAULTS, startK8sEmulator } from "./server";

// npm run emulator:k8s -- --port 4700 --data-port 4701 [--page-size 100] [--cert-out <file>]
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4700" },
    "data-port": { type: "string", default: "4701" },
    "page-size": { type: "string" },
    "cert-out": { type: "string" },
  },
});

async function main(): Promise<void> {
  const emulator = await startK8sEmulator({
    port: Number(values.port),
    dataPort: Number(values["data-port"]),
    ...(values["page-size"] ? { pageSize: Number(values["page-size"]) } : {}),
  });
  if (values["cert-out"]) writeFileSync(values["cert-out"], emulator.caCertificate);
  console.log(
    `Kubernetes (Envoy Gateway) emulator: API server ${emulator.url} (token ${K8S_DEFAULTS.token}, namespace ${K8S_DEFAULTS.namespace}, Gateway ${K8S_DEFAULTS.gatewayName}), data plane ${emulator.dataUrl}`,
  );
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
