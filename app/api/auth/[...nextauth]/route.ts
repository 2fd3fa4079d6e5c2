import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptionsFor } from "@/lib/auth/options";
import { requestOrigin } from "@/lib/auth/redirect";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

/** next-auth, told the origin each request was made to, so that its redirects stay there. */
async function handler(req: NextRequest, context: RouteContext) {
  const origin = requestOrigin(req.headers, req.nextUrl.protocol === "https:" ? "https" : "http");
  return NextAuth(req, context as never, authOptionsFor(origin));
}

export { handler as GET, handler as POST };
