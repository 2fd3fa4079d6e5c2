import { Field, Select } from "@/components/ui/field";

export interface PolicyOption {
  name: string;
  displayName: string;
  summary: string;
}

/** The application-level rate limit, chosen among the admin's application policies. */
export function PolicySelect({
  id,
  policies,
  defaultValue,
  error,
}: {
  id: string;
  policies: PolicyOption[];
  defaultValue?: string | null;
  error?: string;
}) {
  return (
    <Field
      id={id}
      label="Application policy"
      help={
        policies.length
          ? "A rate limit over all of the application's calls, whatever the API."
          : "The admin has defined no application policies."
      }
      error={error}
    >
      <Select id={id} name="policy" defaultValue={defaultValue ?? ""} disabled={policies.length === 0}>
        <option value="">No application limit</option>
        {policies.map((p) => (
          <option key={p.name} value={p.name}>
            {p.displayName} — {p.summary}
          </option>
        ))}
      </Select>
    </Field>
  );
}
