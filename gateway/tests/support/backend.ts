import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real local backend: echoes what it received as JSON; `/slow` answers after 3 s; `/stream`
 * sends five chunks 100 ms apart; POST `/upload` streams the request body back.
 */
export async function startBackend(): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path.endsWith("/slow")) {
      const timer = setTimeout(() => res.end("late"), 3_000);
      res.on("close", () => clearTimeout(timer));
      return;
    }
    if (path.endsWith("/stream")) {
      res.writeHead(200, { "content-type": "text/plain" });
      let n = 0;
      const timer = setInterval(() => {
        res.write(`chunk ${n}\n`);
        if (++n === 5) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
      res.on("close", () => clearInterval(timer));
      return;
    }
    if (req.method === "POST" && path.endsWith("/upload")) {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      req.pipe(res);
      return;
    }
    const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers });
    res.writeHead(200, { "content-type": "application/json", "x-backend": "yes", connection: "keep-alive", "keep-alive": "timeout=5" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
