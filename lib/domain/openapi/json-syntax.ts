import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";

export interface JsonSyntaxProblem {
  message: string;
  line: number;
  column: number;
}

/** Line and column (1-based) of an offset in the text. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = before.lastIndexOf("\n");
  return { line: before.split("\n").length, column: offset - lastBreak };
}

/** The offset of the last character before `offset` that is not white space, or -1. */
function previousToken(text: string, offset: number): number {
  let i = Math.min(offset, text.length) - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return i;
}

function quote(text: string, error: ParseError): string {
  const snippet = text.slice(error.offset, error.offset + Math.min(Math.max(error.length, 1), 20)).split("\n")[0];
  return snippet ? `\`${snippet}\`` : "the end of the document";
}

/**
 * Where a JSON document breaks, as a person fixing it would look: a missing comma is reported
 * on the line of the value it should follow, a trailing comma on its own line, not on the line
 * of whatever comes next. JSON.parse's messages vary by runtime and often carry no position
 * (V8: `Unexpected token 'x', "…" is not valid JSON`), so a tolerant scanner finds the place.
 * Null when the scanner finds nothing wrong.
 */
export function describeJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const error = errors[0];
  if (!error) return null;
  const at = (offset: number, message: string) => ({ message, ...positionOf(text, offset) });
  const previous = previousToken(text, error.offset);
  const trailingComma = previous >= 0 && text[previous] === "," && /[}\]]/.test(text[error.offset] ?? "");
  // ParseErrorCode is a const enum, which isolated modules cannot read: switch on its name.
  switch (printParseErrorCode(error.error)) {
    case "CommaExpected":
      return at(previous + 1, `A comma is missing before ${quote(text, error)}.`);
    case "PropertyNameExpected":
      if (trailingComma) return at(previous, "A comma before `}` has nothing after it: remove it.");
      return at(error.offset, `A property name in double quotes is expected, not ${quote(text, error)}.`);
    case "ValueExpected":
      if (trailingComma) return at(previous, `A comma before \`${text[error.offset]}\` has nothing after it: remove it.`);
      return at(error.offset, `A value is expected, not ${quote(text, error)}.`);
    case "InvalidSymbol":
      return at(error.offset, `Unexpected ${quote(text, error)}: strings need double quotes; true, false and null are lowercase.`);
    case "ColonExpected":
      return at(previous + 1, `A colon is missing after the property name, before ${quote(text, error)}.`);
    case "CloseBraceExpected":
      return at(error.offset, "A `}` is missing: an object is not closed.");
    case "CloseBracketExpected":
      return at(error.offset, "A `]` is missing: an array is not closed.");
    case "EndOfFileExpected":
      return at(error.offset, `The document should end here, before ${quote(text, error)}.`);
    case "InvalidCommentToken":
    case "UnexpectedEndOfComment":
      return at(error.offset, "JSON allows no comments.");
    case "UnexpectedEndOfString":
      return at(error.offset, "A string is not closed with a double quote.");
    case "InvalidCharacter":
      return at(error.offset, "A string holds a line break or another control character: write it escaped (\\n, \\t).");
    case "InvalidEscapeCharacter":
      return at(error.offset, `Unknown escape ${quote(text, error)} in a string.`);
    case "InvalidUnicode":
      return at(error.offset, "A \\u escape needs four hexadecimal digits.");
    case "InvalidNumberFormat":
    case "UnexpectedEndOfNumber":
      return at(error.offset, `${quote(text, error)} is not a valid number.`);
    default:
      return at(error.offset, `Unexpected ${quote(text, error)}.`);
  }
}
