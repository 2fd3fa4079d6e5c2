/** What the API list searches: name, context and tags, lowercased, in one string. */
export function apiSearchText(api: { name: string; context: string; tags: string[] }): string {
  return [api.name, api.context, ...api.tags].join(" ").toLowerCase();
}
