import { z } from "zod";
import { field, guid, httpUrl, requiredString, secretString } from "../fields";
import type { ConnectorDescriptor } from "../types";

const TENANT =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[a-zA-Z0-9][a-zA-Z0-9.-]{0,251}\.[a-zA-Z]{2,})$/;
// Azure's rules: resource group 1-90 of letters, digits, ._-() and not ending in a period;
// API Management service 1-50 letters, digits and hyphens, starting with a letter.
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
const APIM_SERVICE = /^[a-zA-Z](?:[a-zA-Z0-9-]{0,48}[a-zA-Z0-9])?$/;

export const azureConfigSchema = z
  .object({
    tenantId: field(
      requiredString("tenant id").regex(
        TENANT,
        "Enter the directory (tenant) id as a GUID, or its domain such as contoso.onmicrosoft.com.",
      ),
      {
        label: "Tenant id",
        help: "The Microsoft Entra directory of the service principal.",
        placeholder: "00000000-0000-0000-0000-000000000000",
      },
    ),
    clientId: field(guid("client id"), {
      label: "Client id",
      help: "The application (client) id of the service principal.",
      placeholder: "00000000-0000-0000-0000-000000000000",
    }),
    clientSecret: field(secretString("client secret", 1024), {
      label: "Client secret",
      help: "A secret of the service principal.",
      secret: true,
    }),
    subscriptionId: field(guid("subscription id"), { label: "Subscription id", placeholder: "00000000-0000-0000-0000-000000000000" }),
    resourceGroup: field(
      requiredString("resource group", 90).regex(
        RESOURCE_GROUP,
        "A resource group name is letters, digits, and . _ - ( ), not ending with a period.",
      ),
      {
        label: "Resource group",
      },
    ),
    serviceName: field(
      requiredString("service name", 50).regex(
        APIM_SERVICE,
        "An API Management service name is letters, digits and hyphens, starting with a letter.",
      ),
      {
        label: "API Management service name",
        help: "The name of the service, as in https://<name>.azure-api.net.",
      },
    ),
    endpoint: field(httpUrl().optional(), {
      label: "Resource Manager endpoint override",
      help: "For sovereign clouds or a test double. Leave empty for https://management.azure.com.",
      placeholder: "https://management.azure.com",
    }),
    authorityHost: field(httpUrl().optional(), {
      label: "Authority host override",
      help: "For sovereign clouds. Leave empty for https://login.microsoftonline.com.",
      placeholder: "https://login.microsoftonline.com",
    }),
    caCertificate: field(
      z
        .string()
        .trim()
        .max(65536, "Use at most 64 KiB of PEM.")
        .regex(/-----BEGIN CERTIFICATE-----/, "Paste the certificate in PEM form, from -----BEGIN CERTIFICATE----- on.")
        .optional(),
      {
        label: "CA certificate (PEM)",
        help: "For a private endpoint with its own CA. Trusted in addition to the public roots, for Resource Manager and sign-in alike.",
        multiline: true,
        placeholder: "-----BEGIN CERTIFICATE-----",
      },
    ),
  })
  .strict();

export type AzureConfig = z.output<typeof azureConfigSchema>;

export const azureDescriptor: ConnectorDescriptor = {
  type: "azure",
  label: "Azure API Management",
  description: "One Azure API Management service: APIs, policies, products and subscription keys.",
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
  configSchema: azureConfigSchema,
};
