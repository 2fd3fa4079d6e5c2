CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"concurrency_key" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"result" jsonb,
	"error" text,
	"error_code" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discovered_apis" (
	"id" text PRIMARY KEY NOT NULL,
	"environment_id" text NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"version" text,
	"context" text,
	"definition" jsonb,
	"previous_definition" jsonb,
	"upstreams" text[] DEFAULT '{}' NOT NULL,
	"content_hash" text NOT NULL,
	"state" text NOT NULL,
	"imported_api_id" text,
	"imported_hash" text,
	"last_seen_at" timestamp with time zone,
	"gone_at" timestamp with time zone,
	"last_job_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remote_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"deployment_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"api_key_id" text NOT NULL,
	"tier" text NOT NULL,
	"remote_ids" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "secret_encrypted" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "deployed_revision_id" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "job_id" text;--> statement-breakpoint
ALTER TABLE "discovered_apis" ADD CONSTRAINT "discovered_apis_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovered_apis" ADD CONSTRAINT "discovered_apis_imported_api_id_apis_id_fk" FOREIGN KEY ("imported_api_id") REFERENCES "public"."apis"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("run_at") WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "jobs_concurrency_idx" ON "jobs" USING btree ("concurrency_key") WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "jobs_kind_created_idx" ON "jobs" USING btree ("kind","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "discovered_apis_environment_external_key" ON "discovered_apis" USING btree ("environment_id","external_id");--> statement-breakpoint
CREATE INDEX "discovered_apis_imported_idx" ON "discovered_apis" USING btree ("imported_api_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remote_keys_deployment_subscription_key" ON "remote_keys" USING btree ("deployment_id","subscription_id","api_key_id");