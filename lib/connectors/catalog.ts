import { listDescriptors } from "./descriptors";
import { describeConfigFields, type ConfigFieldView } from "./fields";
import type { ConnectorCapabilities, ConnectorType, EnvironmentMode } from "./types";

/** A connector type as the admin portal shows it: serializable, no schema objects. */
export interface ConnectorTypeView {
  type: ConnectorType;
  label: string;
  description: string;
  modes: EnvironmentMode[];
  capabilities: ConnectorCapabilities;
  fields: ConfigFieldView[];
}

export function connectorCatalog(): ConnectorTypeView[] {
  return listDescriptors().map((d) => ({
    type: d.type,
    label: d.label,
    description: d.description,
    modes: d.modes,
    capabilities: d.capabilities,
    fields: describeConfigFields(d.configSchema),
  }));
}
