/**
 * The policy expressions this emulator understands: a recogniser for the few C# forms that
 * Meridian's connector writes (context values, the client_id claim of the bearer token, string
 * literals, "+" and "=="/"!="), not a C# interpreter. Anything else fails loudly.
 */

export interface ExpressionContext {
  apiId: string;
  operationId: string;
  subscriptionId: string | null;
  productId: string | null;
  ipAddress: string;
  header(name: string): string | undefined;
}

export class ExpressionError extends Error {}

function splitTopLevel(text: string, separators: string[]): { parts: string[]; ops: string[] } {
  const parts: string[] = [];
  const ops: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0) {
      const sep = separators.find((s) => text.startsWith(s, i));
      if (sep) {
        parts.push(text.slice(start, i).trim());
        ops.push(sep);
        i += sep.length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(text.slice(start).trim());
  return { parts, ops };
}

function jwtClaims(header: string | undefined): Record<string, unknown> | null {
  if (!header) return null;
  const token = header.replace(/^Bearer\s+/i, "");
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const JWT_CLAIM =
  /^context\.Request\.Headers\.GetValueOrDefault\("([^"]+)",\s*""\)\.AsJwt\(\)\?\.Claims\.GetValueOrDefault\("([^"]+)",\s*"([^"]*)"\)$/;
const HEADER = /^context\.Request\.Headers\.GetValueOrDefault\("([^"]+)",\s*"([^"]*)"\)$/;

function term(text: string, ctx: ExpressionContext): string | null {
  if (/^"(?:[^"\\]|\\.)*"$/.test(text)) return JSON.parse(text) as string;
  switch (text) {
    case "null":
      return null;
    case "context.Subscription":
      return ctx.subscriptionId === null ? null : `subscription:${ctx.subscriptionId}`;
    case "context.Api.Id":
      return ctx.apiId;
    case "context.Operation.Id":
      return ctx.operationId;
    case "context.Subscription.Id":
    case "context.Subscription?.Id":
      return ctx.subscriptionId;
    case "context.Product.Id":
    case "context.Product?.Id":
      return ctx.productId;
    case "context.Request.IpAddress":
      return ctx.ipAddress;
  }
  const claim = JWT_CLAIM.exec(text);
  if (claim) {
    const claims = jwtClaims(ctx.header(claim[1]));
    if (!claims) return null;
    const value = claims[claim[2]];
    return value === undefined ? claim[3] : String(value);
  }
  const header = HEADER.exec(text);
  if (header) return ctx.header(header[1]) ?? header[2];
  throw new ExpressionError(`Unsupported policy expression: ${text}`);
}

function evaluateInner(inner: string, ctx: ExpressionContext): string | boolean | null {
  const comparison = splitTopLevel(inner, ["==", "!="]);
  if (comparison.parts.length === 2) {
    const left = evaluateInner(comparison.parts[0], ctx);
    const right = evaluateInner(comparison.parts[1], ctx);
    return comparison.ops[0] === "==" ? left === right : left !== right;
  }
  const sum = splitTopLevel(inner, ["+"]);
  if (sum.parts.length === 1 && !sum.parts[0].startsWith("(")) return term(sum.parts[0], ctx);
  return sum.parts
    .map((p) => (p.startsWith("(") && p.endsWith(")") ? String(evaluateInner(p.slice(1, -1), ctx)) : (term(p, ctx) ?? "")))
    .join("");
}

/** An attribute value: a literal, or an "@(…)" expression. */
export function evaluate(value: string, ctx: ExpressionContext): string | boolean | null {
  const trimmed = value.trim();
  if (!trimmed.startsWith("@(") || !trimmed.endsWith(")")) return value;
  return evaluateInner(trimmed.slice(2, -1).trim(), ctx);
}
