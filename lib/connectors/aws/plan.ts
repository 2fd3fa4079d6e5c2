import { acceptedKeyManagers, acceptsExternalIssuers, audiencesOf, keyManagerRefusals } from "../key-managers";
import type { DeploymentInput, DeploymentPlan, PlanNote } from "../types";
import type { AwsConfig } from "./descriptor";
import { methodThrottlesFor, usagePlansFor, type Throttle, type UsagePlanSpec } from "./limits";
import { AUTHORIZER_SCHEME, AUTHORIZER_TTL_SECONDS, authorizerUri, buildAwsDocument } from "./translate";

export interface AwsDeploymentSpec {
  document: Record<string, unknown>;
  usagePlans: UsagePlanSpec[];
  stage: { name: string; description: string; methodSettings: Record<string, Throttle> };
  plan: DeploymentPlan;
}

export const stageDescription = (revisionNumber: number) => `Meridian revision ${revisionNumber}`;

/** Everything a deploy writes, computed without I/O: the publisher's plan and the deploy's input are one thing. */
export function awsDeploymentSpec(input: DeploymentInput, config: AwsConfig): AwsDeploymentSpec {
  const doc = buildAwsDocument(input, {
    region: config.region,
    authorizerArn: config.authorizerArn,
    authorizerRoleArn: config.authorizerRoleArn,
  });
  const tiers = usagePlansFor(input, doc.usesApiKeys, doc.usesAuthorizer);
  const throttles = methodThrottlesFor(input);
  const stage = { name: config.stageName, description: stageDescription(input.revision.number), methodSettings: throttles.methodSettings };

  const artifacts: DeploymentPlan["artifacts"] = [
    { kind: "openapi", name: `${input.api.name} ${input.api.version}`, format: "json", content: doc.document },
  ];
  artifacts.push({ kind: "stage", name: stage.name, format: "json", content: stage });
  if (doc.usesAuthorizer && config.authorizerArn) {
    artifacts.push({
      kind: "authorizer",
      name: AUTHORIZER_SCHEME,
      format: "json",
      content: {
        type: "TOKEN",
        authorizerUri: authorizerUri(config.region, config.authorizerArn),
        ...(config.authorizerRoleArn ? { authorizerCredentials: config.authorizerRoleArn } : {}),
        identitySource: "method.request.header.Authorization",
        authorizerResultTtlInSeconds: AUTHORIZER_TTL_SECONDS,
      },
    });
  }
  const notes: PlanNote[] = [...doc.notes];
  if (doc.usesAuthorizer && config.authorizerArn) {
    // The token authorizer is given the token alone: which issuers it trusts is its configuration.
    artifacts.push({
      kind: "authorizer-issuers",
      name: `${AUTHORIZER_SCHEME} trusted issuers`,
      format: "json",
      content: {
        issuers: acceptedKeyManagers(input).map((km) => ({
          issuer: km.issuer,
          jwksUri: km.jwksUri,
          audiences: audiencesOf(km),
          clientIdClaim: km.clientIdClaim ?? "client_id",
        })),
      },
    });
    if (acceptsExternalIssuers(input)) {
      notes.push({
        feature: "external key managers",
        note: "The Lambda authorizer must trust the issuers listed in the authorizer-issuers artifact: tokens of other issuers are refused.",
      });
    }
  }
  for (const plan of tiers.plans) artifacts.push({ kind: "usage-plan", name: plan.name, format: "json", content: plan });

  return {
    document: doc.document,
    usagePlans: tiers.plans,
    stage,
    plan: { artifacts, refusals: [...doc.refusals, ...tiers.refusals, ...throttles.refusals, ...keyManagerRefusals(input)], notes },
  };
}
