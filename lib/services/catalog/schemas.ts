import { z } from "zod";
import { paginationSchema } from "@/lib/services/pagination";

export const listCatalogSchema = paginationSchema.extend({
  q: z.string().trim().max(200).optional(),
  tag: z.string().trim().max(50).optional(),
  environment: z.string().trim().max(63).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(24),
});
export type ListCatalogInput = z.input<typeof listCatalogSchema>;
