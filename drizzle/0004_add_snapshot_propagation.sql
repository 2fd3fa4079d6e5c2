ALTER TABLE "environments" ADD COLUMN "snapshot_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "gateway_instances" ADD COLUMN "applied_at" timestamp with time zone;