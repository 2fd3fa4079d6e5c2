CREATE TABLE "deployment_drift" (
	"deployment_id" text PRIMARY KEY NOT NULL,
	"environment_id" text NOT NULL,
	"applied_revision_id" text,
	"applied_artifacts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"applied_hash" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	"state" text DEFAULT 'in_sync' NOT NULL,
	"live_artifacts" jsonb,
	"diff" jsonb,
	"reason" text,
	"checked_at" timestamp with time zone,
	"check_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deployment_drift" ADD CONSTRAINT "deployment_drift_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_drift" ADD CONSTRAINT "deployment_drift_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployment_drift_environment_state_idx" ON "deployment_drift" USING btree ("environment_id","state");