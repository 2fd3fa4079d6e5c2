/**
 * A URL cut into the pieces a line may break between: after the scheme's `//`, before every
 * further `/`, and before `?`, `&`, `#` and dots of the host, as typographers break URLs (the
 * mark that starts a piece leads the next line, so a broken line never ends looking complete).
 */
export function urlBreaks(url: string): string[] {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? "";
  const rest = url.slice(scheme.length);
  const pieces = rest.split(/(?=[/?&#])|(?<=[^/?&#=]{2})(?=\.)/);
  if (scheme) pieces[0] = scheme + (pieces[0] ?? "");
  return pieces.filter((p) => p !== "");
}
