import { isMap, LineCounter, parseDocument, type Document } from "yaml";
import { apiKeyOf, projectSchema, type Project } from "./schema";

/** One problem of a project file: where (a path such as apis[0].definition, and the line when YAML gives it) and what. */
export interface ProjectError {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type ParsedProject = { ok: true; project: Project } | { ok: false; errors: ProjectError[] };

type Segment = string | number;

export function formatPath(path: ReadonlyArray<Segment>): string {
  let out = "";
  for (const s of path) out += typeof s === "number" ? `[${s}]` : out ? `.${s}` : s;
  return out || "(file)";
}

/** A readable line: "apis[0].context (line 7): Required." */
export function formatProjectError(e: ProjectError): string {
  return `${e.path}${e.line ? ` (line ${e.line}${e.column ? `, column ${e.column}` : ""})` : ""}: ${e.message}`;
}

/** The position of the deepest node on `path` that exists: the value itself, else its closest parent. */
function locate(doc: Document, counter: LineCounter, path: ReadonlyArray<Segment>): { line?: number; column?: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const pos = counter.linePos(range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

/**
 * Parses and validates a project file. Every problem is reported at once, each with its path
 * and, where the YAML text gives it, its line: YAML syntax, the schema, and the rules between
 * entries (unique APIs and contexts, deployments naming APIs of the file, definition files given).
 */
export function parseProject(text: string, options: { files?: ReadonlySet<string> } = {}): ParsedProject {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? (e.pos ? counter.linePos(e.pos[0]) : undefined);
        return { path: "(file)", message: e.message.split("\n")[0], ...(pos ? { line: pos.line, column: pos.col } : {}) };
      }),
    };
  }
  if (!isMap(doc.contents))
    return {
      ok: false,
      errors: [{ path: "(file)", message: "A project file is a YAML mapping with apiVersion, tiers, apis and deployments.", line: 1 }],
    };
  const raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const errors: ProjectError[] = [];
  const at = (path: Segment[], message: string) => errors.push({ path: formatPath(path), message, ...locate(doc, counter, path) });

  const parsed = projectSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is Segment => typeof p === "string" || typeof p === "number");
      if (issue.code === "unrecognized_keys") for (const key of issue.keys) at([...path, key], `Unknown field "${key}".`);
      else at(path, issue.message);
    }
    return { ok: false, errors };
  }
  const project = parsed.data;
  const apis = project.apis ?? [];
  const seenKeys = new Map<string, number>();
  const seenContexts = new Map<string, number>();
  apis.forEach((api, i) => {
    const key = apiKeyOf(api).toLowerCase();
    if (seenKeys.has(key)) at(["apis", i, "version"], `${apiKeyOf(api)} is declared twice (also apis[${seenKeys.get(key)}]).`);
    else seenKeys.set(key, i);
    const context = `${api.context}@${api.version}`;
    if (seenContexts.has(context))
      at(["apis", i, "context"], `${api.context} version ${api.version} is already used by apis[${seenContexts.get(context)}].`);
    else seenContexts.set(context, i);
    if (options.files && !options.files.has(api.definition)) at(["apis", i, "definition"], `The file ${api.definition} was not found.`);
    api.documents?.forEach((d, j) => {
      if (d.file && options.files && !options.files.has(d.file))
        at(["apis", i, "documents", j, "file"], `The file ${d.file} was not found.`);
    });
  });
  const tierNames = new Set<string>();
  project.tiers?.forEach((t, i) => {
    if (tierNames.has(t.name)) at(["tiers", i, "name"], `The tier ${t.name} is declared twice.`);
    tierNames.add(t.name);
    if (t.unlimited && (t.requests != null || t.unit != null))
      at(["tiers", i, "unlimited"], "An unlimited tier has no request limit or unit.");
    if (!t.unlimited && (t.requests == null || t.unit == null)) at(["tiers", i], "Give requests and unit, or make the tier unlimited.");
  });
  const deployed = new Set<string>();
  project.deployments?.forEach((d, i) => {
    const matches = resolveApiRef(apis, d.api);
    if (matches.length === 0) at(["deployments", i, "api"], `No API named ${d.api} in this file.`);
    else if (matches.length > 1) at(["deployments", i, "api"], `Several versions of ${d.api} are declared: name one as name@version.`);
    else {
      d.environments.forEach((env, j) => {
        const key = `${apiKeyOf(matches[0])}→${env}`;
        if (deployed.has(key))
          at(["deployments", i, "environments", j], `${apiKeyOf(matches[0])} is already deployed to ${env} in this file.`);
        deployed.add(key);
      });
    }
  });
  return errors.length ? { ok: false, errors } : { ok: true, project };
}

/** The APIs of a file that a deployment's `api` names: `name@version`, or a name. */
export function resolveApiRef<T extends { name: string; version: string }>(apis: ReadonlyArray<T>, ref: string): T[] {
  const exact = apis.filter((a) => apiKeyOf(a) === ref);
  if (exact.length) return exact;
  return apis.filter((a) => a.name === ref);
}
