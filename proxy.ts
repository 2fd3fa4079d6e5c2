import { NextResponse, type NextRequest } from "next/server";

/** Passes the requested path to server components, so that sign-in can send the user back. */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-meridian-path", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|oauth2/|\\.well-known/).*)"],
};
