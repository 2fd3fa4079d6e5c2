import { parseXml, XmlError, type XmlElement } from "./xml";

/**
 * What API Management checks when a policy document is saved: well-formed XML, a <policies>
 * root with known sections, known policy elements, and the attributes a policy cannot do
 * without. A refusal reads like the service's ValidationError messages.
 */

const SECTIONS = new Set(["inbound", "backend", "outbound", "on-error"]);
const POLICIES = new Set([
  "base",
  "cors",
  "validate-jwt",
  "validate-azure-ad-token",
  "rate-limit",
  "rate-limit-by-key",
  "quota",
  "quota-by-key",
  "choose",
  "set-header",
  "set-query-parameter",
  "rewrite-uri",
  "set-backend-service",
  "forward-request",
  "return-response",
  "mock-response",
  "ip-filter",
  "check-header",
  "set-variable",
  "log-to-eventhub",
  "cache-lookup",
  "cache-store",
  "cache-lookup-value",
  "cache-store-value",
  "send-request",
  "send-one-way-request",
  "set-body",
  "retry",
  "limit-concurrency",
  "find-and-replace",
  "json-to-xml",
  "xml-to-json",
  "include-fragment",
  "authentication-basic",
  "authentication-certificate",
  "authentication-managed-identity",
  "validate-content",
  "validate-parameters",
  "validate-headers",
  "validate-status-code",
  "emit-metric",
  "trace",
  "wait",
  "proxy",
  "set-method",
  "set-status",
  "jsonp",
  "redirect-content-urls",
  "cross-domain",
  "xsl-transform",
  "get-authorization-context",
]);
// Policies that only make sense on the way in.
const INBOUND_ONLY = new Set([
  "cors",
  "validate-jwt",
  "rate-limit",
  "rate-limit-by-key",
  "quota",
  "quota-by-key",
  "ip-filter",
  "check-header",
]);
const REQUIRED: Record<string, string[]> = {
  "rate-limit-by-key": ["calls", "renewal-period", "counter-key"],
  "quota-by-key": ["counter-key", "renewal-period"],
  "rate-limit": ["calls", "renewal-period"],
};

export class PolicyValidationError extends Error {}

const at = (el: XmlElement) => `on line ${el.line}, column ${el.column}`;

function checkPolicy(el: XmlElement, section: string): void {
  if (!POLICIES.has(el.name)) throw new PolicyValidationError(`Error in element '${el.name}' ${at(el)}: Unknown policy '${el.name}'.`);
  if (INBOUND_ONLY.has(el.name) && section !== "inbound") {
    throw new PolicyValidationError(`Error in element '${el.name}' ${at(el)}: Policy is not allowed in '${section}' section.`);
  }
  for (const attr of REQUIRED[el.name] ?? []) {
    if (!(attr in el.attrs)) throw new PolicyValidationError(`Error in element '${el.name}' ${at(el)}: '${attr}' attribute is required.`);
  }
  if (el.name === "rate-limit-by-key") {
    const period = Number(el.attrs["renewal-period"]);
    if (!Number.isInteger(period) || period < 1 || period > 300) {
      throw new PolicyValidationError(
        `Error in element '${el.name}' ${at(el)}: 'renewal-period' must be an integer between 1 and 300 seconds.`,
      );
    }
    if (!/^\d+$/.test(el.attrs.calls))
      throw new PolicyValidationError(`Error in element '${el.name}' ${at(el)}: 'calls' must be a positive integer.`);
  }
  if (el.name === "quota-by-key" && !("calls" in el.attrs) && !("bandwidth" in el.attrs)) {
    throw new PolicyValidationError(`Error in element '${el.name}' ${at(el)}: Either 'calls' or 'bandwidth' attribute must be specified.`);
  }
  if (el.name === "validate-jwt") {
    if (!("header-name" in el.attrs) && !("query-parameter-name" in el.attrs) && !("token-value" in el.attrs)) {
      throw new PolicyValidationError(
        `Error in element 'validate-jwt' ${at(el)}: One of 'header-name', 'query-parameter-name' or 'token-value' must be specified.`,
      );
    }
    for (const c of el.children.filter((c) => c.name === "openid-config")) {
      if (!c.attrs.url) throw new PolicyValidationError(`Error in element 'openid-config' ${at(c)}: 'url' attribute is required.`);
    }
    for (const claim of el.children.filter((c) => c.name === "required-claims").flatMap((c) => c.children)) {
      if (claim.name !== "claim")
        throw new PolicyValidationError(`Error in element '${claim.name}' ${at(claim)}: Only 'claim' is allowed in 'required-claims'.`);
      if (!claim.attrs.name) throw new PolicyValidationError(`Error in element 'claim' ${at(claim)}: 'name' attribute is required.`);
      if (claim.attrs.match !== undefined && claim.attrs.match !== "all" && claim.attrs.match !== "any") {
        throw new PolicyValidationError(`Error in element 'claim' ${at(claim)}: 'match' must be 'all' or 'any'.`);
      }
    }
  }
  if (el.name === "choose") {
    for (const c of el.children) {
      if (c.name !== "when" && c.name !== "otherwise")
        throw new PolicyValidationError(`Error in element '${c.name}' ${at(c)}: Only 'when' and 'otherwise' are allowed in 'choose'.`);
      if (c.name === "when" && !c.attrs.condition)
        throw new PolicyValidationError(`Error in element 'when' ${at(c)}: 'condition' attribute is required.`);
      for (const p of c.children) checkPolicy(p, section);
    }
  }
}

/** Parses and validates a policy document; throws PolicyValidationError with the service's kind of message. */
export function validatePolicy(xml: string): XmlElement {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    if (error instanceof XmlError) throw new PolicyValidationError(error.message);
    throw error;
  }
  if (root.name !== "policies")
    throw new PolicyValidationError(`Error in element '${root.name}' ${at(root)}: The root element must be 'policies'.`);
  const seen = new Set<string>();
  for (const section of root.children) {
    if (!SECTIONS.has(section.name))
      throw new PolicyValidationError(
        `Error in element '${section.name}' ${at(section)}: Unexpected section; expected 'inbound', 'backend', 'outbound' or 'on-error'.`,
      );
    if (seen.has(section.name))
      throw new PolicyValidationError(
        `Error in element '${section.name}' ${at(section)}: Section '${section.name}' appears more than once.`,
      );
    seen.add(section.name);
    for (const policy of section.children) checkPolicy(policy, section.name);
  }
  return root;
}
