import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { config } from "@/lib/config";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { authenticate } from "@/lib/services/users/authenticate";
import { clientIp } from "./client-ip";
import { answeredOrigins, authRedirect } from "./redirect";

export const SESSION_MAX_AGE_SECONDS = 8 * 3600;

/** next-auth: email and password, JWT sessions. Roles are re-read on every request (see session.ts). */
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/signin", error: "/signin" },
  secret: process.env.NEXTAUTH_SECRET,
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        try {
          const actor = await authenticate({ email: credentials?.email, password: credentials?.password, ip: clientIp(req.headers ?? {}) });
          return { id: actor.id, email: actor.email, roles: actor.roles };
        } catch (error) {
          // The message is what the sign-in form shows; it never says which part was wrong.
          if (isAppError(error)) throw new Error(error.message);
          logger.error({ err: error }, "sign-in failed unexpectedly");
          throw new Error("Sign-in is unavailable right now. Try again shortly.");
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.roles = (user as { roles?: string[] }).roles ?? [];
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user) {
        (session.user as { id?: string }).id = token.sub;
        (session.user as { roles?: unknown }).roles = token.roles ?? [];
      }
      return session;
    },
  },
};

/**
 * The options for one request to next-auth's routes, made at `origin`: its redirects (after
 * sign-out above all) stay on that origin when the server answers for it, instead of going to
 * NEXTAUTH_URL's (see redirect.ts).
 */
export function authOptionsFor(origin: string | null): NextAuthOptions {
  const answered = answeredOrigins([process.env.NEXTAUTH_URL, config.publicUrl], config.extraOrigins, config.port);
  return {
    ...authOptions,
    callbacks: {
      ...authOptions.callbacks,
      async redirect({ url, baseUrl }) {
        return authRedirect(url, { baseUrl, origin, answered });
      },
    },
  };
}
