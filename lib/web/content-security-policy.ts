/**
 * The Content-Security-Policy of every page. Scripts run only with the per-request nonce (Next.js
 * puts it on its own scripts, next-themes on its inline one), and what a nonced script loads
 * ('strict-dynamic'): an injected <script> or inline handler does not run.
 *
 * Styles stay 'unsafe-inline': server-rendered style attributes (charts, progress bars) and the
 * <style> elements that sonner, CodeMirror and Scalar insert at run time carry no nonce, and a
 * nonce in style-src would switch 'unsafe-inline' off. Injected CSS cannot run code.
 *
 * Images may come from any https origin (API documents link them). Connections may go to any
 * http(s) origin: the Try it console calls the gateways' public URLs, which administrators set
 * at run time, and a policy narrower on other pages would not hold, since a client-side
 * navigation keeps the policy of the page the browser first loaded.
 */
export interface PolicyOptions {
  /** React's development build needs eval for its error overlays. */
  development?: boolean;
}

export const NONCE_HEADER = "x-nonce";

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(nonce: string, options: PolicyOptions = {}): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.development ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", "http:", "https:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}
