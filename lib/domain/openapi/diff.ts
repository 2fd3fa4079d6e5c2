import { diffLines } from "diff";

export interface DiffLine {
  kind: "added" | "removed" | "context" | "skipped";
  text: string;
  /** For "skipped": how many unchanged lines were folded. */
  count?: number;
}

export interface TextDiff {
  lines: DiffLine[];
  added: number;
  removed: number;
  /** True when the documents were too different to compare line by line in time. */
  truncated: boolean;
}

const CONTEXT = 3;
const MAX_OUTPUT_LINES = 4000;

function splitLines(value: string): string[] {
  const lines = value.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * A line diff of two texts with unchanged runs folded to a few lines of context, bounded so
 * that comparing two large documents stays quick and renders in the browser.
 */
export function diffTexts(before: string, after: string): TextDiff {
  const changes = diffLines(before, after, { timeout: 3000 });
  if (!changes)
    return {
      lines: [{ kind: "skipped", text: "The documents differ too much to compare line by line.", count: 0 }],
      added: 0,
      removed: 0,
      truncated: true,
    };
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  let truncated = false;
  changes.forEach((change, index) => {
    const values = splitLines(change.value);
    if (change.added || change.removed) {
      if (change.added) added += values.length;
      else removed += values.length;
      for (const text of values) {
        if (lines.length >= MAX_OUTPUT_LINES) truncated = true;
        else lines.push({ kind: change.added ? "added" : "removed", text });
      }
      return;
    }
    const head = index === 0 ? [] : values.slice(0, CONTEXT);
    const tail = index === changes.length - 1 ? [] : values.slice(Math.max(head.length, values.length - CONTEXT));
    const folded = values.length - head.length - tail.length;
    for (const text of head) lines.push({ kind: "context", text });
    if (folded > 0) lines.push({ kind: "skipped", text: `${folded} unchanged line${folded === 1 ? "" : "s"}`, count: folded });
    for (const text of tail) lines.push({ kind: "context", text });
  });
  return { lines, added, removed, truncated };
}

/** Pretty JSON with object keys in a stable order, so that key order alone is no difference. */
export function stableJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, v[k]]),
          )
        : v,
    2,
  );
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Field-level differences of two flat-ish settings objects (nested objects compared by value). */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((k) => stableJson(before[k] ?? null) !== stableJson(after[k] ?? null))
    .map((k) => ({ field: k, before: before[k] ?? null, after: after[k] ?? null }));
}
