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
          <Th>Context</Th>
          <Th>State</Th>
          <Th className="text-right">Operations</Th>
          <Th>Updated</Th>
        </tr>
      </thead>
      <tbody>
        {apis.map((api) => (
          <tr key={api.id} data-testid={`api-row-${api.id}`}>
            <Td>
              <Link href={`/publisher/apis/${api.id}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                {api.name}
              </Link>
              {api.tags.length > 0 && <div className="mt-0.5 text-xs text-slate-500">{api.tags.join(" · ")}</div>}
            </Td>
            <Td className="font-mono text-xs">{api.version}</Td>
            <Td className="font-mono text-xs">{api.context}</Td>
            <Td>
              <LifecycleBadge state={api.lifecycleState} />
            </Td>
            <Td className="text-right tabular-nums">{api.operationCount}</Td>
            <Td className="text-xs whitespace-nowrap text-slate-500">{formatDateTime(api.updatedAt)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
