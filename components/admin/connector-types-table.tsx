import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { ConnectorTypeView } from "@/lib/connectors/catalog";

const SCHEMES = { oauth2: "OAuth2", apiKey: "API key", none: "none" } as const;
const POLICIES = { rateLimit: "rate limits", quota: "quotas", cors: "CORS" } as const;

/** The connector registry as a table: modes, push or pull, and what each gateway can enforce. */
export function ConnectorTypesTable({ types }: { types: ConnectorTypeView[] }) {
  return (
    <Table aria-label="Gateway types">
      <thead>
        <tr>
          <Th>Type</Th>
          <Th>Delivery</Th>
          <Th>Modes</Th>
          <Th>Security</Th>
          <Th>Policies</Th>
        </tr>
      </thead>
      <tbody>
        {types.map((t) => (
          <tr key={t.type}>
            <Td>
              <div className="font-medium">{t.label}</div>
              <div className="max-w-md text-xs text-slate-600 dark:text-slate-400">{t.description}</div>
            </Td>
            <Td>
              <Badge tone={t.capabilities.delivery === "pull" ? "brand" : "neutral"}>{t.capabilities.delivery}</Badge>
            </Td>
            <Td className="text-xs">{t.modes.join(", ")}</Td>
            <Td className="text-xs">{t.capabilities.securitySchemes.map((s) => SCHEMES[s]).join(", ")}</Td>
            <Td className="text-xs">
              {[...t.capabilities.policies.map((p) => POLICIES[p]), ...(t.capabilities.apiKeys ? ["API keys"] : [])].join(", ")}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
