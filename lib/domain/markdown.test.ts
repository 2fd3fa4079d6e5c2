import { describe, expect, it } from "vitest";
import { isSafeExternalUrl, renderMarkdown } from "./markdown";

describe("renderMarkdown", () => {
  it("renders formatting, code, tables and links", () => {
    const html = renderMarkdown(
      "# Title\n\nSome *em* and `code`.\n\n```js\nconst a = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[docs](https://example.com/docs)",
    );
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<em>em</em>");
    expect(html).toContain('<code class="language-js">');
    expect(html).toContain("<td>1</td>");
    expect(html).toContain('<a href="https://example.com/docs" rel="noopener noreferrer nofollow" target="_blank">docs</a>');
  });

  it.each([
    ["a script tag", "<script>alert(1)</script>hello", /<script|alert\(1\)/i],
    ["an event handler", '<img src="https://example.com/x.png" onerror="alert(1)">', /onerror/i],
    ["an event handler on a link", '<a href="https://example.com" onclick="steal()">x</a>', /onclick/i],
    ["a javascript: link in markdown", "[click](javascript:alert(1))", /javascript:/i],
    ["a javascript: link in HTML", '<a href="JaVaScRiPt:alert(1)">x</a>', /javascript:/i],
    ["an entity-encoded javascript: link", '<a href="&#106;avascript:alert(1)">x</a>', /avascript:/i],
    ["a data: image", '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">', /data:/i],
    ["an iframe", '<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ["a style tag", "<style>body{display:none}</style>", /<style|display:none/i],
    ["an svg with a handler", '<svg onload="alert(1)"><circle/></svg>', /<svg|onload/i],
    ["a form", '<form action="https://evil.example"><button>go</button></form>', /<form|<button/i],
    ["a style attribute", '<p style="position:fixed">x</p>', /style=/i],
  ])("removes %s", (_label, input, forbidden) => {
    expect(renderMarkdown(input)).not.toMatch(forbidden);
  });

  it("keeps the text around what it removes", () => {
    expect(renderMarkdown("<script>alert(1)</script>hello")).toContain("hello");
  });
});

describe("isSafeExternalUrl", () => {
  it("accepts http and https only", () => {
    expect(isSafeExternalUrl("https://example.com/guide")).toBe(true);
    expect(isSafeExternalUrl("http://example.com")).toBe(true);
    for (const bad of [
      "javascript:alert(1)",
      "data:text/html,hi",
      "ftp://example.com",
      "//example.com",
      "/relative",
      "https://user:pw@example.com",
      "not a url",
    ]) {
      expect(isSafeExternalUrl(bad)).toBe(false);
    }
  });
});
