import { CopyButton } from "@/components/shared/copy-button";
import { BreakableUrl } from "@/components/ui/breakable-url";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { GatewayEndpoint } from "@/lib/services/catalog/catalog-dto";

/** Where to call the API: every environment it is deployed to, with its region. */
export function GatewayUrls({ gateways }: { gateways: GatewayEndpoint[] }) {
  return (
    <Card>
      <CardHeader title="Gateway URLs" description="Call the API through one of these; each environment serves the same version." />
      {gateways.length === 0 ? (
        <CardBody className="text-sm text-slate-600 dark:text-slate-400">This API is not deployed to any gateway yet.</CardBody>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Gateway URLs">
          {gateways.flatMap((g) =>
            g.urls.map((url) => (
              <li key={`${g.environment} ${url}`} className="flex flex-wrap items-center gap-3 px-5 py-3 text-sm">
                <span className="min-w-32 shrink-0 font-medium">
                  {g.displayName}
                  {g.region && (
                    <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                      {g.region}
                    </span>
                  )}
                </span>
                <code className="min-w-0 flex-1 basis-48 font-mono text-xs [overflow-wrap:anywhere]" data-testid="gateway-url">
                  <BreakableUrl url={url} />
                </code>
                <CopyButton value={url} label="Copy URL" />
              </li>
            )),
          )}
        </ul>
      )}
    </Card>
  );
}
