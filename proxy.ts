import { NextResponse, type NextRequest } from "next/server";
import { NONCE_HEADER, contentSecurityPolicy, newNonce } from "@/lib/web/content-security-policy";

/**
 * Every page gets a Content-Security-Policy with a fresh nonce. Next.js reads the nonce from the
 * policy on the request and puts it on its scripts; server components read it from `x-nonce`.
 * The requested path goes along too, so that sign-in can send the user back.
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const policy = contentSecurityPolicy(nonce, { development: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("x-meridian-path", request.nextUrl.pathname + request.nextUrl.search);
  headers.set(NONCE_HEADER, nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|oauth2/|\\.well-known/).*)"],
};
