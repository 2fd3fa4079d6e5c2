import type { DeploymentInput, KeyManagerInfo } from "./types";

/** The key managers whose access tokens a deployment's API accepts (Meridian's alone unless the input says otherwise). */
export function acceptedKeyManagers(input: Pick<DeploymentInput, "keyManager" | "keyManagers">): KeyManagerInfo[] {
  return input.keyManagers?.length ? input.keyManagers : [input.keyManager];
}

/** Every `aud` value a key manager's tokens may carry. */
export function audiencesOf(km: KeyManagerInfo): string[] {
  return km.audiences?.length ? km.audiences : [km.audience];
}

/** Whether some accepted key manager is not Meridian's own. */
export function acceptsExternalIssuers(input: Pick<DeploymentInput, "keyManager" | "keyManagers">): boolean {
  return acceptedKeyManagers(input).some((km) => km.issuer !== input.keyManager.issuer);
}
