"use client";

import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import type { EditorView } from "@codemirror/view";
import CodeMirror from "@uiw/react-codemirror";
import { useRouter } from "next/navigation";
import { useTheme } from "next-themes";
import { useEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { detectFormat, parseDefinitionText } from "@/lib/domain/openapi/parse";
import type { DefinitionError } from "@/lib/domain/openapi/types";
import { ApiProblem, apiRequest } from "./api-request";
import { DefinitionErrors } from "./definition-errors";

/** Above this size the editor skips the live syntax check while typing (the server still checks). */
const LIVE_CHECK_MAX = 512 * 1024;

/**
 * The OpenAPI document in a code editor. Saving sends it to the server, which validates it:
 * an invalid document is refused, its errors are marked at their lines, and the text in the
 * editor stays as typed, so nothing is lost.
 */
export function DefinitionEditor({ apiId, initialSource, canWrite }: { apiId: string; initialSource: string; canWrite: boolean }) {
  const router = useRouter();
  const { resolvedTheme } = useTheme();
  const [saved, setSaved] = useState(initialSource);
  const [draft, setDraft] = useState(initialSource);
  const [errors, setErrors] = useState<DefinitionError[]>([]);
  const [syntaxError, setSyntaxError] = useState<DefinitionError | null>(null);
  const [busy, setBusy] = useState<"save" | "check" | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const viewRef = useRef<EditorView | null>(null);
  const dirty = draft !== saved;

  // A newer document from the server (this save, or another publisher's) becomes the saved one;
  // the text being edited is replaced only when it holds no unsaved changes. The editor stays
  // mounted, so the outcome of a save stays on screen after the page refreshes.
  const [serverSource, setServerSource] = useState(initialSource);
  if (initialSource !== serverSource) {
    setServerSource(initialSource);
    setSaved(initialSource);
    if (draft === saved) setDraft(initialSource);
  }
  const format = detectFormat(draft);

  const extensions = useMemo(() => [format === "json" ? json() : yaml(), lintGutter()], [format]);

  // Errors are marked at their lines; CodeMirror moves the marks along with later edits.
  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const all = syntaxError ? [syntaxError, ...errors] : errors;
    const diagnostics = all
      .filter((e) => e.line && e.line <= view.state.doc.lines)
      .map((e): Diagnostic => {
        const line = view.state.doc.line(e.line!);
        return { from: line.from, to: line.to, severity: "error", message: e.path ? `${e.place ?? e.path}: ${e.message}` : e.message };
      });
    view.dispatch(setDiagnostics(view.state, diagnostics));
  }, [errors, syntaxError]);

  // Live syntax check, debounced; validation against the specification happens on the server.
  useEffect(() => {
    if (draft.length > LIVE_CHECK_MAX) return;
    const timer = setTimeout(() => {
      const parsed = parseDefinitionText(draft);
      setSyntaxError(parsed.ok ? null : (parsed.errors[0] ?? null));
    }, 400);
    return () => clearTimeout(timer);
  }, [draft]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  function jumpTo(error: DefinitionError) {
    const view = viewRef.current;
    if (!view || !error.line || error.line > view.state.doc.lines) return;
    const line = view.state.doc.line(error.line);
    view.dispatch({ selection: { anchor: Math.min(line.from + Math.max((error.column ?? 1) - 1, 0), line.to) }, scrollIntoView: true });
    view.focus();
  }

  async function send(dryRun: boolean) {
    setBusy(dryRun ? "check" : "save");
    setStatus(null);
    try {
      const result = await apiRequest<{ operationCount: number }>(`/api/v1/apis/${apiId}/definition${dryRun ? "?dryRun=true" : ""}`, {
        method: "PUT",
        headers: { "content-type": format === "json" ? "application/json" : "application/yaml" },
        body: draft,
      });
      setErrors([]);
      if (dryRun) {
        setStatus(`Valid: ${result.operationCount} operations.`);
        toast.success("The document is valid");
      } else {
        setSaved(draft);
        setStatus(`Saved: ${result.operationCount} operations.`);
        toast.success("Definition saved");
        router.refresh();
      }
    } catch (e) {
      const problem = e instanceof ApiProblem ? e : new ApiProblem("The request failed.", "error", 0);
      setErrors(problem.errors.length ? problem.errors : [{ path: "", message: problem.message }]);
      toast.error(dryRun ? "The document is not valid" : "Not saved: the document is not valid");
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={dirty ? "amber" : "green"}>{dirty ? "Unsaved changes" : "Saved"}</Badge>
        <span className="text-xs text-slate-600 dark:text-slate-400">{format.toUpperCase()}</span>
        {syntaxError && (
          <span role="status" className="text-xs text-red-600">
            Syntax error{syntaxError.line ? ` on line ${syntaxError.line}` : ""}
          </span>
        )}
        {status && (
          <span role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
            {status}
          </span>
        )}
        <div className="ml-auto flex gap-2">
          {dirty && (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                if (window.confirm("Discard your changes and go back to the saved document?")) {
                  setDraft(saved);
                  setErrors([]);
                }
              }}
            >
              Discard changes
            </Button>
          )}
          <Button variant="secondary" size="sm" onClick={() => send(true)} disabled={busy !== null}>
            {busy === "check" ? "Validating…" : "Validate"}
          </Button>
          {canWrite && (
            <Button size="sm" onClick={() => send(false)} disabled={busy !== null || !dirty}>
              {busy === "save" ? "Saving…" : "Save definition"}
            </Button>
          )}
        </div>
      </div>
      <DefinitionErrors errors={errors} onSelect={jumpTo} />
      <div className="overflow-hidden rounded-md border border-slate-300 dark:border-slate-700" data-testid="definition-editor">
        <CodeMirror
          value={draft}
          height="65vh"
          theme={resolvedTheme === "dark" ? "dark" : "light"}
          extensions={extensions}
          onChange={(value) => setDraft(value)}
          onCreateEditor={(view) => {
            viewRef.current = view;
          }}
          readOnly={!canWrite}
          aria-label="OpenAPI document"
          basicSetup={{ foldGutter: true, highlightActiveLine: true, tabSize: 2 }}
        />
      </div>
    </div>
  );
}
