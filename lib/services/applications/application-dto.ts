import type { Application } from "@/lib/db/schema";

export interface ApplicationView {
  id: string;
  name: string;
  description: string;
  /** Name of the application-level rate-limit policy, or null. */
  policy: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toApplicationView(app: Application): ApplicationView {
  return {
    id: app.id,
    name: app.name,
    description: app.description,
    policy: app.policy,
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
  };
}
