import { z } from "zod";
import { field, httpUrl, requiredString, secretString } from "../fields";
import type { ConnectorDescriptor } from "../types";

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
// Partition-aware (aws, aws-cn, aws-us-gov) ARNs.
export const IAM_ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
export const LAMBDA_ARN = /^arn:aws(-[a-z]+)*:lambda:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:function:[\w-]{1,64}(:[\w$-]{1,128})?$/;

const PLACEHOLDER = /\{([^{}]*)\}/g;
const PLACEHOLDERS = new Set(["restApiId", "region", "stage"]);

/** An http(s) URL once its placeholders are filled; without {restApiId} it names one fixed address (a custom domain). */
const invokeUrlTemplate = () =>
  z
    .string()
    .trim()
    .max(2048, "Use at most 2048 characters.")
    .refine(
      (v) => [...v.matchAll(PLACEHOLDER)].every((m) => PLACEHOLDERS.has(m[1])),
      "Use only the placeholders {restApiId}, {region} and {stage}.",
    )
    .refine((v) => {
      try {
        const u = new URL(v.replaceAll("{restApiId}", "a1b2c3d4e5").replaceAll("{region}", "eu-west-1").replaceAll("{stage}", "meridian"));
        return (u.protocol === "http:" || u.protocol === "https:") && !!u.hostname && !u.username && !u.password;
      } catch {
        return false;
      }
    }, "Enter an http:// or https:// URL, for example https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}.")
    .transform((v) => v.replace(/\/+$/, ""));

export const awsConfigSchema = z
  .object({
    region: field(requiredString("AWS Region", 32).regex(REGION, "Enter an AWS Region code such as eu-west-1."), {
      label: "AWS Region",
      help: "The Region of the API Gateway REST APIs, for example eu-west-1.",
      placeholder: "eu-west-1",
    }),
    accessKeyId: field(
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9]{4,128}$/, "An access key id is letters and digits, such as AKIAIOSFODNN7EXAMPLE.")
        .optional(),
      {
        label: "Access key id",
        help: "An IAM user's access key. Leave empty to use the control plane's own AWS identity with a role to assume.",
        placeholder: "AKIA…",
      },
    ),
    secretAccessKey: field(secretString("secret access key", 256).optional(), {
      label: "Secret access key",
      help: "Required with an access key id.",
      secret: true,
    }),
    roleArn: field(
      z.string().trim().regex(IAM_ROLE_ARN, "Enter an IAM role ARN such as arn:aws:iam::123456789012:role/meridian.").optional(),
      {
        label: "Role ARN to assume",
        help: "Meridian assumes this role (with the access key above, or its own identity) for every call.",
        placeholder: "arn:aws:iam::123456789012:role/meridian-deployer",
      },
    ),
    externalId: field(z.string().trim().min(2).max(1224).optional(), {
      label: "External id",
      help: "Only if the role's trust policy requires one.",
    }),
    stageName: field(
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_]{1,128}$/, "A stage name is letters, digits and underscores.")
        .default("meridian"),
      { label: "Stage name", help: "The API Gateway stage that Meridian deploys to." },
    ),
    authorizerArn: field(
      z
        .string()
        .trim()
        .regex(LAMBDA_ARN, "Enter a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:meridian-authorizer.")
        .optional(),
      {
        label: "Lambda authorizer ARN",
        help: "Validates Meridian's OAuth2 access tokens. Needed to deploy APIs secured with OAuth2.",
        placeholder: "arn:aws:lambda:eu-west-1:123456789012:function:meridian-authorizer",
      },
    ),
    authorizerRoleArn: field(
      z.string().trim().regex(IAM_ROLE_ARN, "Enter an IAM role ARN such as arn:aws:iam::123456789012:role/authorizer-invoke.").optional(),
      {
        label: "Authorizer invoke role ARN",
        help: "The role API Gateway assumes to invoke the authorizer.",
      },
    ),
    invokeUrlTemplate: field(invokeUrlTemplate().optional(), {
      label: "Invoke URL template",
      help: "For LocalStack, an emulator or a custom domain: the URL clients call, with the placeholders {restApiId}, {region} and {stage}. Leave empty for https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}.",
      placeholder: "https://api.example.com/{stage}",
    }),
    endpoint: field(httpUrl().optional(), {
      label: "Endpoint override",
      help: "For LocalStack or a private (VPC) endpoint. Leave empty for AWS's public endpoint.",
      placeholder: "https://apigateway.eu-west-1.amazonaws.com",
    }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.accessKeyId && !c.secretAccessKey)
      ctx.addIssue({ code: "custom", path: ["secretAccessKey"], message: "Enter the secret access key that goes with the access key id." });
    if (c.secretAccessKey && !c.accessKeyId)
      ctx.addIssue({ code: "custom", path: ["accessKeyId"], message: "Enter the access key id that goes with the secret access key." });
    if (!c.accessKeyId && !c.secretAccessKey && !c.roleArn)
      ctx.addIssue({ code: "custom", path: ["accessKeyId"], message: "Enter an access key, or a role ARN to assume." });
    if (c.externalId && !c.roleArn)
      ctx.addIssue({ code: "custom", path: ["roleArn"], message: "An external id needs a role ARN to assume." });
    if (c.authorizerRoleArn && !c.authorizerArn)
      ctx.addIssue({ code: "custom", path: ["authorizerArn"], message: "Enter the authorizer that the invoke role is for." });
  });

export type AwsConfig = z.output<typeof awsConfigSchema>;

export const awsDescriptor: ConnectorDescriptor = {
  type: "aws",
  label: "AWS API Gateway",
  description: "Amazon API Gateway REST APIs in one account and Region: APIs, stages, usage plans and API keys.",
  modes: ["write-only", "read-only", "read-write"],
  capabilities: {
    delivery: "push",
    deploy: true,
    discover: true,
    observe: true,
    apiKeys: true,
    subscriptions: true,
    securitySchemes: ["oauth2", "apiKey", "none"],
    policies: ["rateLimit", "quota", "cors"],
  },
  configSchema: awsConfigSchema,
};
