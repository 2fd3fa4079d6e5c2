import fs from "node:fs";

/** Where a V8 CPU profile spends its samples: by area of code and by function (self time). */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const AREAS: [string, RegExp][] = [
  ["gateway code", /\/gateway\/|\/lib\/domain\//],
  ["undici (upstream client)", /node_modules\/undici\//],
  ["jose (JWT)", /node_modules\/jose\//],
  ["prom-client (metrics)", /node_modules\/prom-client\//],
  ["ioredis", /node_modules\/ioredis\//],
  ["pino", /node_modules\/pino/],
  ["node http/net/stream", /^node:/],
];

function area(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith("(") ? functionName : "native/builtins";
  return AREAS.find(([, re]) => re.test(url))?.[0] ?? "other JS";
}

/** Samples from `skipMs` after the profile's start on, so that start-up (module loading) is left out. */
export function summarizeProfile(file: string, skipMs: number, top = 15): string {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const hitsById = new Map<number, number>();
  let t = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i];
    if (t >= skipMs * 1000) hitsById.set(id, (hitsById.get(id) ?? 0) + 1);
  });
  const hitsOf = (n: ProfileNode) => hitsById.get(n.id) ?? 0;
  const total = profile.nodes.reduce((sum, n) => sum + hitsOf(n), 0);
  const busy = total - profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").reduce((s, n) => s + hitsOf(n), 0);
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = hitsOf(node);
    if (!hits || node.callFrame.functionName === "(idle)") continue;
    byArea.set(area(node), (byArea.get(area(node)) ?? 0) + hits);
    const where = node.callFrame.url
      ? `${node.callFrame.url.replace(/^.*\/(node_modules|gateway|lib)\//, "$1/")}:${node.callFrame.lineNumber + 1}`
      : "";
    const name = `${node.callFrame.functionName || "(anonymous)"} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  }
  const pct = (n: number) => `${((100 * n) / busy).toFixed(1).padStart(5)}%`;
  const lines = ["Busy samples by area:"];
  for (const [name, hits] of [...byArea].sort((a, b) => b[1] - a[1])) lines.push(`  ${pct(hits)}  ${name}`);
  lines.push(`Top ${top} functions by self time:`);
  for (const [name, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(hits)}  ${name}`);
  return lines.join("\n");
}
