"use client";

import { useState, type ReactNode } from "react";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConnectionTestPanel } from "@/components/admin/connection-test-panel";
import { EnvironmentForm } from "@/components/admin/environment-form";
import { HealthBadge } from "@/components/admin/health-badge";
import type { ConnectorTypeView } from "@/lib/connectors/catalog";
import type { EnvironmentView } from "@/lib/services/environments/environment-dto";

/**
 * The connection test and the settings form share the test's field errors, so that a failure
 * shows under the input it blames. `children` sits between them (gateway token, instances).
 */
export function EnvironmentClient({
  environment,
  types,
  children,
}: {
  environment: EnvironmentView;
  types: ConnectorTypeView[];
  children?: ReactNode;
}) {
  const [testErrors, setTestErrors] = useState<Record<string, string>>({});
  const type = types.find((t) => t.type === environment.type);
  const fields = type?.fields ?? [];
  return (
    <>
      <Card>
        <CardHeader title="Connection" description={environment.health && <HealthBadge health={environment.health} />} />
        <CardBody>
          <ConnectionTestPanel
            name={environment.name}
            fields={fields}
            pull={type?.capabilities.delivery === "pull"}
            onResult={(r) => setTestErrors(Object.fromEntries((r?.errors ?? []).map((e) => [e.path, e.message])))}
          />
        </CardBody>
      </Card>
      {children}
      <Card>
        <CardHeader
          title="Settings"
          description={fields.some((f) => f.secret) ? "Leave a secret empty to keep the stored value." : undefined}
        />
        <CardBody>
          <EnvironmentForm types={types} environment={environment} extraErrors={testErrors} />
        </CardBody>
      </Card>
    </>
  );
}
