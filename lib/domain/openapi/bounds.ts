import { encodePointer } from "./pointer";

/**
 * How large a parsed document may be in shape, not only in bytes: the validator, the
 * Swagger 2.0 converter, the connectors' translations and the `$ref` walks recurse into
 * documents, so a document nested thousands of levels deep would overflow the stack. Refusing
 * it here, with a walk that keeps its own stack, bounds every walk that runs afterwards.
 */
export interface DocumentBounds {
  /** Deepest nesting of objects and arrays; the document itself is level 1. */
  maxDepth: number;
  /** Values of every kind (objects, arrays, strings, numbers…), each counted where it appears. */
  maxNodes: number;
}

/** Far above real documents (tens of levels; a 10 MB document holds a few hundred thousand values). */
export const DEFAULT_DOCUMENT_BOUNDS: DocumentBounds = { maxDepth: 128, maxNodes: 2_000_000 };

export interface BoundsViolation {
  limit: "depth" | "nodes";
  max: number;
  /** Where the limit was crossed (a JSON pointer); for depth, the first value nested too deep. */
  path: string;
  message: string;
}

/**
 * Measures a parsed document without recursion. Values shared through YAML aliases count at
 * every place they appear, as they would once written out, and an alias that contains itself
 * (a cycle) crosses the depth limit instead of looping.
 */
export function checkDocumentBounds(document: unknown, bounds: DocumentBounds = DEFAULT_DOCUMENT_BOUNDS): BoundsViolation | undefined {
  let nodes = 1;
  if (document === null || typeof document !== "object") return undefined;
  // One frame per open object or array on the way down: its keys and the next one to visit.
  const frames: Array<{ container: Record<string, unknown> | unknown[]; keys: string[] | null; next: number }> = [];
  const open = (container: object) =>
    frames.push({
      container: container as Record<string, unknown>,
      keys: Array.isArray(container) ? null : Object.keys(container),
      next: 0,
    });
  const here = () => encodePointer(frames.map((f) => (f.keys ? f.keys[f.next - 1] : f.next - 1)));
  open(document);
  while (frames.length) {
    const frame = frames[frames.length - 1];
    const size = frame.keys ? frame.keys.length : (frame.container as unknown[]).length;
    if (frame.next >= size) {
      frames.pop();
      continue;
    }
    const child = frame.keys
      ? (frame.container as Record<string, unknown>)[frame.keys[frame.next]]
      : (frame.container as unknown[])[frame.next];
    frame.next++;
    if (++nodes > bounds.maxNodes) {
      return {
        limit: "nodes",
        max: bounds.maxNodes,
        path: here(),
        message: `The document has more than ${bounds.maxNodes.toLocaleString("en")} values, the most Meridian accepts.`,
      };
    }
    if (child === null || typeof child !== "object") continue;
    // The child would sit at level frames.length + 1.
    if (frames.length + 1 > bounds.maxDepth) {
      return {
        limit: "depth",
        max: bounds.maxDepth,
        path: here(),
        message: `The document is nested more than ${bounds.maxDepth} levels deep, the most Meridian accepts.`,
      };
    }
    open(child);
  }
  return undefined;
}
