import { spawnSync } from "node:child_process";

/**
 * `promtool check metrics` over an exposition: its problems, one per line (empty when it passes).
 * A missing promtool is an error, never a pass: CI installs Debian's `prometheus` package for it.
 */
export function promtoolProblems(exposition: string): string[] {
  const run = spawnSync("promtool", ["check", "metrics"], { input: exposition, encoding: "utf8", timeout: 30_000 });
  if (run.error) throw new Error(`promtool could not run (${run.error.message}): install Debian's prometheus package`);
  const problems = `${run.stdout}${run.stderr}`.split("\n").filter((line) => line.trim() !== "");
  if (run.status !== 0 && problems.length === 0) throw new Error(`promtool check metrics exited with ${run.status} and said nothing`);
  return problems;
}
