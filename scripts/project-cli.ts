/**
 * The project commands of `npm run meridian`: plan, apply and export against a running Meridian
 * over its REST API (`--url` or MERIDIAN_URL, a personal access token in MERIDIAN_TOKEN).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatProjectError, parseProject, type ProjectError } from "@/lib/domain/project/parse";

/** terraform plan -detailed-exitcode: 0 no change, 1 error, 2 changes. */
export const EXIT = { ok: 0, error: 1, changes: 2 } as const;

interface Remote {
  url: string;
  token: string;
}

type Out = { log: (line: string) => void; err: (line: string) => void };
const console_: Out = { log: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

class CliError extends Error {
  constructor(
    message: string,
    readonly errors: ProjectError[] = [],
  ) {
    super(message);
  }
}

function remoteOf(values: { url?: string }): Remote {
  const url = (values.url ?? process.env.MERIDIAN_URL ?? "").replace(/\/+$/, "");
  if (!url) throw new CliError("Give Meridian's address with --url or MERIDIAN_URL.");
  const token = process.env.MERIDIAN_TOKEN ?? "";
  if (!token) throw new CliError("Set MERIDIAN_TOKEN to a personal access token (npm run meridian -- token create …).");
  return { url, token };
}

async function request<T>(remote: Remote, method: "GET" | "POST", pathAndQuery: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${remote.url}${pathAndQuery}`, {
      method,
      headers: {
        authorization: `Bearer ${remote.token}`,
        accept: "application/json",
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    throw new CliError(`Cannot reach Meridian at ${remote.url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: reported as text below.
  }
  if (!res.ok) {
    const p = parsed as { code?: string; detail?: string; errors?: ProjectError[] };
    throw new CliError(`${p.code ?? `HTTP ${res.status}`}: ${p.detail ?? text.slice(0, 300)}`, Array.isArray(p.errors) ? p.errors : []);
  }
  return parsed as T;
}

/** The project file and every file it names, read from beside it; the same checks as the server first. */
export function readProject(file: string): { project: string; files: Record<string, string> } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new CliError(`Cannot read ${file}.`);
  }
  const dir = path.dirname(path.resolve(file));
  const first = parseProject(text);
  if (!first.ok) throw new CliError(`${file} has ${first.errors.length} problem(s).`, first.errors);
  const files: Record<string, string> = {};
  const names = [
    ...(first.project.apis ?? []).map((a) => a.definition),
    ...(first.project.apis ?? []).flatMap((a) => (a.documents ?? []).flatMap((d) => (d.file ? [d.file] : []))),
  ];
  for (const name of names) {
    const full = path.resolve(dir, name);
    if (fs.existsSync(full)) files[name] = fs.readFileSync(full, "utf8");
  }
  const checked = parseProject(text, { files: new Set(Object.keys(files)) });
  if (!checked.ok) throw new CliError(`${file} has ${checked.errors.length} problem(s).`, checked.errors);
  return { project: text, files };
}

interface Change {
  kind: string;
  action: string;
  target: string;
  details: string[];
}
interface Plan {
  changes: Change[];
  environments: Array<{
    api: string;
    environment: string;
    type: string;
    revision: number;
    diff: { lines: Array<{ kind: string; text: string }> };
  }>;
  summary: Record<string, number>;
  hasChanges: boolean;
}

const SIGN: Record<string, string> = { create: "+", update: "~", revision: "+", deploy: "→" };

function printPlan(plan: Plan, out: Out) {
  if (!plan.hasChanges) {
    out.log("No changes: Meridian matches the project file.");
    return;
  }
  for (const c of plan.changes) {
    out.log(`${SIGN[c.action] ?? "*"} ${c.kind} ${c.target}${c.details.length ? `: ${c.details.join("; ")}` : ""}`);
  }
  for (const e of plan.environments) {
    out.log("");
    out.log(`--- ${e.api} on ${e.environment} (${e.type}), revision ${e.revision}`);
    for (const l of e.diff.lines)
      out.log(
        l.kind === "added" ? `+ ${l.text}` : l.kind === "removed" ? `- ${l.text}` : l.kind === "skipped" ? `  … ${l.text}` : `  ${l.text}`,
      );
  }
  const s = plan.summary;
  out.log("");
  out.log(
    `Plan: ${s.tiers} tier(s), ${s.apis} API(s), ${s.documents} document(s), ${s.revisions} new revision(s), ${s.deployments} deployment(s).`,
  );
}

const fileOption = {
  f: { type: "string", short: "f" },
  file: { type: "string" },
  url: { type: "string" },
  json: { type: "boolean" },
} as const;

async function plan(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({ args, options: fileOption });
  const file = values.f ?? values.file ?? "meridian.yaml";
  const remote = remoteOf(values);
  const body = readProject(file);
  const result = await request<Plan>(remote, "POST", "/api/v1/project/plan", body);
  if (values.json) out.log(JSON.stringify(result, null, 2));
  else printPlan(result, out);
  return result.hasChanges ? EXIT.changes : EXIT.ok;
}

interface ApplyResult {
  ok: boolean;
  plan: Plan;
  done: Change[];
  failed: (Change & { error: { code: string; message: string } }) | null;
  notDone: Change[];
  deployments: Array<{ id: string; api: string; environment: string; revision: number; status: string }>;
}

interface DeploymentState {
  status: string;
  error: string | null;
  steps: Array<{ step: string; detail?: string }>;
}

async function waitForDeployments(remote: Remote, deps: ApplyResult["deployments"], timeoutMs: number, out: Out): Promise<boolean> {
  const seen = new Map<string, number>();
  const pending = new Set(deps.filter((d) => d.status !== "deployed").map((d) => d.id));
  for (const d of deps) if (d.status === "deployed") out.log(`✓ ${d.api} → ${d.environment}: revision ${d.revision} deployed`);
  let ok = true;
  const deadline = Date.now() + timeoutMs;
  while (pending.size) {
    if (Date.now() > deadline) {
      for (const id of pending) out.err(`✗ ${deps.find((d) => d.id === id)!.api}: still deploying after ${Math.round(timeoutMs / 1000)} s`);
      return false;
    }
    for (const id of [...pending]) {
      const d = deps.find((x) => x.id === id)!;
      const state = await request<DeploymentState>(remote, "GET", `/api/v1/deployments/${encodeURIComponent(id)}`);
      const from = seen.get(id) ?? 0;
      for (const step of state.steps.slice(from))
        out.log(`  ${d.api} → ${d.environment}: ${step.step}${step.detail ? ` (${step.detail})` : ""}`);
      seen.set(id, state.steps.length);
      if (state.status === "deployed") {
        out.log(`✓ ${d.api} → ${d.environment}: revision ${d.revision} deployed`);
        pending.delete(id);
      } else if (state.status === "failed") {
        out.err(`✗ ${d.api} → ${d.environment}: ${state.error ?? "failed"}`);
        pending.delete(id);
        ok = false;
      }
    }
    if (pending.size) await new Promise((r) => setTimeout(r, 500));
  }
  return ok;
}

async function apply(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...fileOption, "no-wait": { type: "boolean" }, timeout: { type: "string" } },
  });
  const file = values.f ?? values.file ?? "meridian.yaml";
  const remote = remoteOf(values);
  const body = readProject(file);
  const result = await request<ApplyResult>(remote, "POST", "/api/v1/project/apply", body);
  if (!result.done.length && !result.failed) out.log("No changes: Meridian matches the project file.");
  for (const c of result.done) out.log(`✓ ${c.kind} ${c.target}${c.details.length ? `: ${c.details.join("; ")}` : ""}`);
  if (result.failed) {
    out.err(`✗ ${result.failed.kind} ${result.failed.target}: ${result.failed.error.message}`);
    for (const c of result.notDone) out.err(`  not done: ${c.kind} ${c.target}`);
  }
  let deployedOk = true;
  if (!values["no-wait"] && result.deployments.length)
    deployedOk = await waitForDeployments(remote, result.deployments, Number(values.timeout ?? 600) * 1000, out);
  return result.ok && deployedOk ? EXIT.ok : EXIT.error;
}

async function exportProject(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: "string" },
      api: { type: "string", multiple: true },
      o: { type: "string", short: "o" },
      out: { type: "string" },
    },
  });
  const remote = remoteOf(values);
  const query = (values.api ?? []).map((a) => `api=${encodeURIComponent(a)}`).join("&");
  const result = await request<{ project: string; files: Record<string, string> }>(
    remote,
    "GET",
    `/api/v1/project/export${query ? `?${query}` : ""}`,
  );
  const dir = path.resolve(values.o ?? values.out ?? ".");
  const write = (name: string, text: string) => {
    const full = path.resolve(dir, name);
    // The names come from the server: never write outside the chosen folder.
    if (!full.startsWith(dir + path.sep)) throw new CliError(`Refusing to write ${name} outside ${dir}.`);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    out.log(`wrote ${path.relative(process.cwd(), full) || full}`);
  };
  write("meridian.yaml", result.project);
  for (const [name, text] of Object.entries(result.files)) write(name, text);
  return EXIT.ok;
}

export const PROJECT_USAGE = `  npm run meridian -- plan -f meridian.yaml [--url <url>] [--json]     exit 0: no change, 2: changes, 1: errors
  npm run meridian -- apply -f meridian.yaml [--url <url>] [--no-wait] [--timeout <s>]
  npm run meridian -- export [--api <name@version>]... [-o <dir>] [--url <url>]
  (MERIDIAN_URL instead of --url; MERIDIAN_TOKEN holds a personal access token)`;

/** Runs a project command; answers its exit code and prints errors itself. */
export async function runProjectCommand(command: string, args: string[], out: Out = console_): Promise<number> {
  try {
    if (command === "plan") return await plan(args, out);
    if (command === "apply") return await apply(args, out);
    return await exportProject(args, out);
  } catch (error) {
    if (error instanceof CliError) {
      out.err(error.message);
      for (const e of error.errors) out.err(`  ${formatProjectError(e)}`);
      return EXIT.error;
    }
    throw error;
  }
}
