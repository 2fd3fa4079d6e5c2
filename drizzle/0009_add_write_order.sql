ALTER TABLE "audit_entries" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
ALTER TABLE "api_lifecycle_events" ADD COLUMN "seq" bigserial NOT NULL;