import { config } from "@/lib/config";
import { BUILTIN_KEY_MANAGER_ID, type KeyManagerRow } from "@/lib/db/schema";
import { SECRET_MASK } from "@/lib/connectors/fields";

export interface KeyManagerView {
  id: string;
  name: string;
  displayName: string;
  description: string;
  type: "builtin" | "external";
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  registrationEndpoint: string | null;
  /** The provider offers dynamic client registration: Meridian creates clients for applications. */
  dynamicRegistration: boolean;
  clientIdClaim: string;
  audiences: string[];
  /** Masked; null when none is stored. */
  registrationToken: string | null;
  lastTest: { at: string; ok: boolean; message: string } | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export function toKeyManagerView(row: KeyManagerRow): KeyManagerView {
  return {
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    description: row.description,
    type: "external",
    issuer: row.issuer,
    jwksUri: row.jwksUri,
    tokenEndpoint: row.tokenEndpoint,
    registrationEndpoint: row.registrationEndpoint,
    dynamicRegistration: !!row.registrationEndpoint,
    clientIdClaim: row.clientIdClaim,
    audiences: row.audiences,
    registrationToken: row.registrationTokenEncrypted ? SECRET_MASK : null,
    lastTest: row.lastTestAt ? { at: row.lastTestAt.toISOString(), ok: !!row.lastTestOk, message: row.lastTestMessage ?? "" } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Meridian's own key manager: always present, never stored. */
export function builtinKeyManagerView(): KeyManagerView {
  const base = config.publicUrl;
  return {
    id: BUILTIN_KEY_MANAGER_ID,
    name: BUILTIN_KEY_MANAGER_ID,
    displayName: "Meridian",
    description: "Meridian's own key manager: OAuth2 client credentials at /oauth2/token.",
    type: "builtin",
    issuer: config.tokenIssuer,
    jwksUri: `${base}/oauth2/jwks`,
    tokenEndpoint: `${base}/oauth2/token`,
    registrationEndpoint: null,
    dynamicRegistration: true,
    clientIdClaim: "client_id",
    audiences: [config.tokenAudience],
    registrationToken: null,
    lastTest: null,
    createdAt: null,
    updatedAt: null,
  };
}
