import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import type { ApiSummary } from "@/lib/services/apis/api-dto";
import { LifecycleBadge } from "./lifecycle-badge";
import { formatDateTime } from "@/lib/domain/datetime";

export function ApiListTable({ apis }: { apis: ApiSummary[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Version</Th>
          <Th className="hidden sm:table-cell">Context</Th>
          <Th>State</Th>
          <Th className="hidden text-right md:table-cell">Operations</Th>
          <Th className="hidden lg:table-cell">Updated</Th>
        </tr>
      </thead>
      <tbody>
        {apis.map((api) => (
          <tr key={api.id} data-testid={`api-row-${api.id}`}>
            <Td>
              <Link href={`/publisher/apis/${api.id}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                {api.name}
              </Link>
              {/* On phones the context column is hidden: it shows under the name instead. */}
              <div className="mt-0.5 font-mono text-xs break-all text-slate-600 sm:hidden dark:text-slate-400">{api.context}</div>
              {api.tags.length > 0 && <div className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">{api.tags.join(" · ")}</div>}
            </Td>
            <Td className="font-mono text-xs">{api.version}</Td>
            <Td className="hidden font-mono text-xs sm:table-cell">{api.context}</Td>
            <Td>
              <LifecycleBadge state={api.lifecycleState} />
            </Td>
            <Td className="hidden text-right tabular-nums md:table-cell">{api.operationCount}</Td>
            <Td className="hidden text-xs whitespace-nowrap text-slate-600 lg:table-cell dark:text-slate-400">
              {formatDateTime(api.updatedAt)}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
