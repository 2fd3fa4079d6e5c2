import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** Child processes of the benchmark: each runs on its own, as in production. */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function start(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  child.on("error", (error) => console.error(`${command}: ${error.message}`));
  return child;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
}

/** nginx as a plain reverse proxy: `workers` processes (a number or `auto`), keep-alive to the backend, no logging. */
export function nginxConfig(dir: string, port: number, backendPort: number, workers: number | "auto" = 1): string {
  const file = path.join(dir, `nginx-${workers}.conf`);
  fs.writeFileSync(
    file,
    `worker_processes ${workers};
daemon off;
pid ${dir}/nginx-${workers}.pid;
error_log ${dir}/error-${workers}.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream backend { server 127.0.0.1:${backendPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`,
  );
  return file;
}

/** CPU seconds in user and in kernel mode of a process and all its descendants, from /proc (Linux only; 0 elsewhere). */
export function treeCpuSeconds(pid: number): { user: number; sys: number } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const total = { user: Number(fields[11]) / 100, sys: Number(fields[12]) / 100 };
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const kids = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const kid of kids ? kids.split(" ") : []) {
        const k = treeCpuSeconds(Number(kid));
        total.user += k.user;
        total.sys += k.sys;
      }
    }
    return total;
  } catch {
    return { user: 0, sys: 0 };
  }
}

/** CPU seconds in user and in kernel mode of one process (all its threads, none of its children); 0 once it is gone. */
export function cpuSeconds(pid: number): { user: number; sys: number } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { user: Number(fields[11]) / 100, sys: Number(fields[12]) / 100 };
  } catch {
    return { user: 0, sys: 0 };
  }
}

/**
 * `npm run agent:haproxy`'s process on the stand-in control plane's snapshot of environment
 * `bench`, HAProxy's files in `configDir`; waits until HAProxy serves the benchmark's path with
 * `auth`. `nodeFlags` go after tsx's loader.
 */
export async function startHaproxyAgentProcess(
  cp: { url: string; token: string },
  configDir: string,
  auth: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = start(
    process.execPath,
    [
      "--import",
      "tsx",
      ...nodeFlags,
      "agent/haproxy/main.ts",
      "--haproxy-config-dir",
      configDir,
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
    ],
    {
      NODE_ENV: "production",
      LOG_LEVEL: "error",
      MERIDIAN_GATEWAY_ENVIRONMENT: "bench",
      MERIDIAN_CONTROL_PLANE_URL: cp.url,
      MERIDIAN_GATEWAY_TOKEN: cp.token,
      MERIDIAN_GATEWAY_INSTANCE_ID: "bench-haproxy",
    },
  );
  const url = `http://127.0.0.1:${port}/bench/v1/pets/7`;
  for (let i = 0; i < 400 && (await fetch(url, { headers: auth }).catch(() => null))?.status !== 200; i++)
    await new Promise((r) => setTimeout(r, 50));
  return { child, url };
}
