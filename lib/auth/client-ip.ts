type HeaderBag = Headers | Record<string, string | string[] | undefined>;

/** The caller's address as the nearest proxy reports it; used only to count sign-in attempts. */
export function clientIp(headers: HeaderBag): string {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const forwarded = get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || get("x-real-ip") || "local";
}
