import { z } from "zod";
import { normalizeIssuerInput } from "@/lib/domain/key-managers/discovery";

export const KEY_MANAGER_NAME = /^[a-z][a-z0-9-]{1,62}$/;

const audiences = z
  .array(z.string().trim().min(1).max(500))
  .min(1, "At least one audience: gateways check that a token was meant for them.")
  .max(10)
  .transform((a) => [...new Set(a)]);

const issuer = z
  .url({ protocol: /^https?$/, message: "The issuer is an http(s) URL." })
  .max(500)
  .transform(normalizeIssuerInput);

const claim = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, "A claim name such as azp or client_id.");

export const createKeyManagerSchema = z.object({
  name: z.string().regex(KEY_MANAGER_NAME, "Lowercase letters, digits and dashes, starting with a letter (2 to 63)."),
  displayName: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(2000).default(""),
  issuer,
  clientIdClaim: claim.default("client_id"),
  audiences,
  /** Initial access token for dynamic client registration (RFC 7591 §3); null or absent for open registration. */
  registrationToken: z.string().min(1).max(4000).nullable().optional(),
});
export type CreateKeyManagerInput = z.infer<typeof createKeyManagerSchema>;

export const updateKeyManagerSchema = z.object({
  displayName: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(2000).optional(),
  issuer: issuer.optional(),
  clientIdClaim: claim.optional(),
  audiences: audiences.optional(),
  /** Absent, blank or masked keeps the stored token; null clears it. */
  registrationToken: z.string().max(4000).nullable().optional(),
});

export const keyManagerClientSchema = z.object({
  keyManagerId: z.string().min(1).max(100),
  keyType: z.enum(["production", "sandbox"]).default("production"),
  /** With clientId and clientSecret: maps an existing client after a client-credentials grant proves it; without: registers one. */
  clientId: z.string().min(1).max(500).optional(),
  clientSecret: z.string().min(1).max(4000).optional(),
});

export const apiKeyManagersSchema = z.object({
  keyManagerIds: z.array(z.string().min(1).max(100)).min(1, "An API accepts at least one key manager.").max(20),
});

export const environmentKeyManagersSchema = z.object({
  /** Empty: the environment trusts whatever its APIs accept. */
  keyManagerIds: z.array(z.string().min(1).max(100)).max(20),
});
