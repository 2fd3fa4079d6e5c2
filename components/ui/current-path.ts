/** Whether a navigation link to `href` is the current page: that path, or (unless `exact`) one below it. */
export function isCurrentPath(pathname: string, href: string, exact = false): boolean {
  return pathname === href || (!exact && pathname.startsWith(`${href}/`));
}
