/** The tiny backend of the benchmark: a fixed small JSON answer, keep-alive. */
import http from "node:http";

const body = JSON.stringify({ id: 7, name: "Rex", kind: "dog" });
const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`);
});
process.on("SIGTERM", () => process.exit(0));
