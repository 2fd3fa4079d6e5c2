import type { DeploymentInput, KeyManagerInfo, PlanRefusal } from "./types";

/**
 * The key managers whose access tokens a deployment's API accepts in this environment
 * (Meridian's alone unless the input says otherwise; empty when the environment allows none of them).
 */
export function acceptedKeyManagers(input: Pick<DeploymentInput, "keyManager" | "keyManagers">): KeyManagerInfo[] {
  return input.keyManagers ?? [input.keyManager];
}

/** An OAuth2 API none of whose key managers the environment allows cannot be deployed there. */
export function keyManagerRefusals(input: Pick<DeploymentInput, "keyManager" | "keyManagers" | "revision">): PlanRefusal[] {
  const s = input.revision.settings;
  const usesTokens = s.security.scheme === "oauth2" || Object.values(s.operationPolicies ?? {}).some((p) => p.security === "oauth2");
  if (!usesTokens || acceptedKeyManagers(input).length > 0) return [];
  return [
    {
      feature: "key managers",
      reason: "None of the key managers this API accepts is allowed in this environment: its gateways could verify no token.",
    },
  ];
}

/**
 * For gateways whose translation knows Meridian's own key manager only: an OAuth2 API that also
 * accepts an external one is refused, since tokens of that issuer would be turned away there.
 */
export function ownIssuerOnlyRefusals(
  input: Pick<DeploymentInput, "keyManager" | "keyManagers" | "revision">,
  gateway: string,
): PlanRefusal[] {
  const refusals = keyManagerRefusals(input);
  const s = input.revision.settings;
  const usesTokens = s.security.scheme === "oauth2" || Object.values(s.operationPolicies ?? {}).some((p) => p.security === "oauth2");
  if (usesTokens && acceptsExternalIssuers(input)) {
    const external = acceptedKeyManagers(input).filter((km) => km.issuer !== input.keyManager.issuer);
    refusals.push({
      feature: "external key managers",
      reason: `The API accepts tokens from ${external.map((km) => km.issuer).join(", ")}; ${gateway} is set up to verify tokens of Meridian's own key manager only, so their tokens would be refused there.`,
    });
  }
  return refusals;
}

/** Every `aud` value a key manager's tokens may carry. */
export function audiencesOf(km: KeyManagerInfo): string[] {
  return km.audiences?.length ? km.audiences : [km.audience];
}

/** Whether some accepted key manager is not Meridian's own. */
export function acceptsExternalIssuers(input: Pick<DeploymentInput, "keyManager" | "keyManagers">): boolean {
  return acceptedKeyManagers(input).some((km) => km.issuer !== input.keyManager.issuer);
}
