ALTER TABLE "key_manager_clients" ALTER COLUMN "client_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "key_manager_clients" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "key_manager_clients" ADD COLUMN "client_name" text;