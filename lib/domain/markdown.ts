import { marked } from "marked";
import sanitizeHtml from "sanitize-html";

/**
 * What rendered markdown may contain: formatting, links, images and tables, nothing that runs.
 * sanitize-html drops every tag and attribute not listed (so no script, style, iframe or event
 * handler) and every URL scheme but these (so no javascript: or data: links).
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    ...["h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "em", "strong", "del", "s", "sup", "sub"],
    ...["ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "input", "span", "div", "details", "summary"],
  ],
  allowedAttributes: {
    a: ["href", "title", "rel", "target"],
    img: ["src", "alt", "title", "width", "height"],
    code: ["class"],
    th: ["align"],
    td: ["align"],
    input: ["type", "checked", "disabled"],
    "*": ["id"],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    // Links leave the portal without handing it the opener or the referrer.
    a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow", target: "_blank" }),
    input: (tagName, attribs) => ({
      tagName,
      attribs:
        attribs.type === "checkbox" ? { type: "checkbox", disabled: "", ...(attribs.checked !== undefined ? { checked: "" } : {}) } : {},
    }),
  },
};

export const MAX_MARKDOWN_LENGTH = 200_000;

/** Markdown to HTML that is safe to insert into a page. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown.slice(0, MAX_MARKDOWN_LENGTH), { async: false, gfm: true, breaks: false }) as string;
  return sanitizeHtml(html, SANITIZE);
}

/** External document links: absolute http or https URLs only. */
export function isSafeExternalUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && !!url.hostname && !url.username && !url.password;
  } catch {
    return false;
  }
}
