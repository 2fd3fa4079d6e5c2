/**
 * A strict, small XML parser for policy documents: elements, attributes, text, comments, CDATA
 * and the predefined and numeric entities. It refuses what is not well-formed, with messages in
 * the shape of the .NET XmlException text that API Management returns ("… Line 1, position 9.").
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
  line: number;
  column: number;
}

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} Line ${line}, position ${column}.`);
  }
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  let pos = 0;

  const where = (at: number) => {
    let line = 1;
    let col = 1;
    for (let i = 0; i < at && i < source.length; i++) {
      if (source[i] === "\n") {
        line++;
        col = 1;
      } else col++;
    }
    return { line, col };
  };
  const fail = (message: string, at = pos): never => {
    const { line, col } = where(at);
    throw new XmlError(message, line, col);
  };
  const skipSpace = () => {
    while (pos < source.length && /\s/.test(source[pos])) pos++;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(source);
    if (!m) return fail(`'${source[pos] ?? "EOF"}' is an unexpected token. Expecting a name.`);
    pos += m[0].length;
    return m[0];
  };
  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;&\s]*);?/g, (whole, ref: string, offset: number) => {
      if (!whole.endsWith(";")) return fail(`An error occurred while parsing EntityName.`, at + offset);
      if (ref.startsWith("#x")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
      if (ref.startsWith("#")) return String.fromCodePoint(parseInt(ref.slice(1), 10));
      if (ref in ENTITIES) return ENTITIES[ref];
      return fail(`Reference to undeclared entity '${ref}'.`, at + offset);
    });
  // Comments and processing instructions, allowed around and inside elements.
  const skipMisc = (): boolean => {
    if (source.startsWith("<!--", pos)) {
      const end = source.indexOf("-->", pos + 4);
      if (end < 0) fail("Unexpected end of file while parsing Comment has occurred.");
      pos = end + 3;
      return true;
    }
    if (source.startsWith("<?", pos)) {
      const end = source.indexOf("?>", pos + 2);
      if (end < 0) fail("Unexpected end of file has occurred.");
      pos = end + 2;
      return true;
    }
    return false;
  };

  const element = (): XmlElement => {
    const start = pos;
    pos++; // <
    const name = readName();
    const { line, col } = where(start);
    const el: XmlElement = { name, attrs: {}, children: [], text: "", line, column: col };
    for (;;) {
      const before = pos;
      skipSpace();
      if (source.startsWith("/>", pos)) {
        pos += 2;
        return el;
      }
      if (source[pos] === ">") {
        pos++;
        break;
      }
      if (pos >= source.length) fail(`Unexpected end of file has occurred. The following elements are not closed: ${name}.`);
      if (pos === before) fail(`'${source[pos]}' is an unexpected token. Expecting white space.`);
      const attrAt = pos;
      const attr = readName();
      skipSpace();
      if (source[pos] !== "=") fail(`'${source[pos] ?? "EOF"}' is an unexpected token. The expected token is '='.`);
      pos++;
      skipSpace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") fail(`'${quote ?? "EOF"}' is an unexpected token. The expected token is '"' or '''.`);
      const end = source.indexOf(quote, pos + 1);
      if (end < 0) fail(`Unexpected end of file has occurred. The following elements are not closed: ${name}.`);
      const raw = source.slice(pos + 1, end);
      const lt = raw.indexOf("<");
      if (lt >= 0) fail(`'<', hexadecimal value 0x3C, is an invalid attribute character.`, pos + 1 + lt);
      if (attr in el.attrs) fail(`'${attr}' is a duplicate attribute name.`, attrAt);
      el.attrs[attr] = decode(raw, pos + 1);
      pos = end + 1;
    }
    for (;;) {
      if (pos >= source.length) fail(`Unexpected end of file has occurred. The following elements are not closed: ${name}.`);
      if (source.startsWith("</", pos)) {
        const closeAt = pos;
        pos += 2;
        const closing = readName();
        skipSpace();
        if (source[pos] !== ">") fail(`'${source[pos] ?? "EOF"}' is an unexpected token. The expected token is '>'.`);
        pos++;
        if (closing !== name)
          fail(`The '${name}' start tag on line ${line} position ${col + 1} does not match the end tag of '${closing}'.`, closeAt);
        return el;
      }
      if (source.startsWith("<![CDATA[", pos)) {
        const end = source.indexOf("]]>", pos);
        if (end < 0) fail("Unexpected end of file while parsing CDATA has occurred.");
        el.text += source.slice(pos + 9, end);
        pos = end + 3;
        continue;
      }
      if (skipMisc()) continue;
      if (source[pos] === "<") {
        el.children.push(element());
        continue;
      }
      const next = source.indexOf("<", pos);
      const stop = next < 0 ? source.length : next;
      const raw = source.slice(pos, stop);
      if (raw.includes("]]>")) fail("']]>' is not allowed in character data.", pos + raw.indexOf("]]>"));
      el.text += decode(raw, pos);
      pos = stop;
    }
  };

  if (source.charCodeAt(0) === 0xfeff) pos = 1;
  for (;;) {
    skipSpace();
    if (!skipMisc()) break;
  }
  if (source[pos] !== "<") return fail(pos >= source.length ? "Root element is missing." : "Data at the root level is invalid.");
  const root = element();
  for (;;) {
    skipSpace();
    if (pos >= source.length) break;
    if (!skipMisc()) fail(source[pos] === "<" ? "There are multiple root elements." : "Data at the root level is invalid.");
  }
  return root;
}
