/** A tiny XML writer: every attribute and text value escaped, nothing concatenated by hand. */

export interface XmlNode {
  /** Empty for a comment. */
  name: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  children?: XmlNode[];
  text?: string;
  /** A comment in place of an element. */
  comment?: string;
}

export const escapeText = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export const escapeAttribute = (value: string) =>
  escapeText(value).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\r/g, "&#13;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");

export function renderXml(node: XmlNode, indent = ""): string {
  // "--" may not appear inside a comment.
  if (node.comment !== undefined) return `${indent}<!-- ${node.comment.replace(/-{2,}/g, "-")} -->`;
  const attrs = Object.entries(node.attrs ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttribute(String(v))}"`)
    .join("");
  const open = `${indent}<${node.name}${attrs}`;
  if (node.text !== undefined) return `${open}>${escapeText(node.text)}</${node.name}>`;
  if (!node.children?.length) return `${open} />`;
  return `${open}>\n${node.children.map((c) => renderXml(c, `${indent}  `)).join("\n")}\n${indent}</${node.name}>`;
}
