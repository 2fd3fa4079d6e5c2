import { z } from "zod";
import { field, httpUrl, requiredString, secretString } from "../fields";
import type { ConnectorDescriptor } from "../types";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\s*$/;

export const envoyConfigSchema = z
  .object({
    apiServerUrl: field(httpUrl(), {
      label: "Kubernetes API server URL",
      help: "The cluster where Envoy Gateway runs.",
      placeholder: "https://kubernetes.example.com:6443",
    }),
    bearerToken: field(secretString("bearer token", 8192), {
      label: "Bearer token",
      help: "A service account token allowed to manage Gateway API and Envoy Gateway resources in the namespace.",
      secret: true,
    }),
    caCertificate: field(
      z.string().trim().max(65536).regex(PEM_CERTIFICATE, "Paste a PEM certificate (-----BEGIN CERTIFICATE----- …).").optional(),
      {
        label: "CA certificate",
        help: "The cluster's CA in PEM form, when the API server's certificate is not publicly trusted.",
        multiline: true,
      },
    ),
    namespace: field(
      requiredString("namespace", 63).regex(DNS_LABEL, "A namespace is lowercase letters, digits and hyphens (at most 63)."),
      {
        label: "Namespace",
        help: "Where Meridian writes HTTPRoutes and policies.",
        placeholder: "default",
      },
    ),
    gatewayName: field(
      requiredString("Gateway name", 253).regex(DNS_SUBDOMAIN, "A Gateway name is lowercase letters, digits, hyphens and dots."),
      {
        label: "Gateway name",
        help: "The Gateway resource (gateway.networking.k8s.io/v1) that routes attach to.",
        placeholder: "eg",
      },
    ),
    sectionName: field(
      z.string().trim().max(253).regex(DNS_SUBDOMAIN, "A listener name is lowercase letters, digits, hyphens and dots.").optional(),
      {
        label: "Listener (sectionName)",
        help: "Optional: the Gateway listener the routes attach to; all listeners when blank.",
        placeholder: "https",
      },
    ),
  })
  .strict();

export type EnvoyConfig = z.output<typeof envoyConfigSchema>;

export const envoyDescriptor: ConnectorDescriptor = {
  type: "envoy",
  label: "Envoy Gateway",
  description: "Envoy Gateway on Kubernetes: HTTPRoutes, SecurityPolicies and BackendTrafficPolicies attached to one Gateway.",
  modes: ["write-only", "read-only", "read-write"],
  capabilities: {
    delivery: "push",
    deploy: true,
    discover: true,
    observe: true,
    apiKeys: true,
    subscriptions: true,
    securitySchemes: ["oauth2", "apiKey", "none"],
    policies: ["rateLimit", "cors"],
  },
  configSchema: envoyConfigSchema,
};
