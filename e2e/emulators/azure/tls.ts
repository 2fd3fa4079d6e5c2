import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface EmulatorCertificate {
  /** The certificate, self-signed, so it is its own CA: what a client must trust. */
  cert: string;
  key: string;
}

/**
 * A fresh self-signed certificate for 127.0.0.1 and localhost, made with the openssl command
 * line tool at every start: no key material is committed, and nothing but openssl is needed.
 * basicConstraints CA:TRUE lets clients use it directly as their trust anchor.
 */
export function makeCertificate(): EmulatorCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), "azure-emulator-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        "7",
        "-subj",
        "/CN=Azure API Management emulator",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,digitalSignature,keyCertSign",
        "-addext",
        "extendedKeyUsage=serverAuth",
      ],
      { stdio: "pipe" },
    );
    return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
