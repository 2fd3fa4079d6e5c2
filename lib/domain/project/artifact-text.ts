import { diffTexts, stableJson, type TextDiff } from "@/lib/domain/openapi/diff";

/** A native artifact as connectors produce them (plan) and read them back (drift). */
export interface ArtifactLike {
  kind: string;
  name: string;
  format: "json" | "xml" | "text";
  content: unknown;
}

/**
 * Artifacts as one text a person reads and a line diff compares: each under a header naming
 * its kind and name, JSON with keys in a stable order, XML and text as they are.
 */
export function artifactsText(artifacts: ReadonlyArray<ArtifactLike>): string {
  return [...artifacts]
    .sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind < b.kind ? -1 : 1))
    .map((a) => `# ${a.kind}: ${a.name}\n${a.format === "json" ? stableJson(a.content) : String(a.content ?? "").trim()}\n`)
    .join("\n");
}

/** The line diff between two sets of artifacts (before → after). */
export function diffArtifacts(before: ReadonlyArray<ArtifactLike>, after: ReadonlyArray<ArtifactLike>): TextDiff {
  return diffTexts(artifactsText(before), artifactsText(after));
}
