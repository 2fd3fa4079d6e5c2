CREATE TABLE "auth_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"ip" text NOT NULL,
	"success" boolean NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"password_hash" text,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "personal_access_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" text,
	"actor_email" text,
	"action" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_documents" (
	"id" text PRIMARY KEY NOT NULL,
	"api_id" text NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"source_type" text NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"url" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_lifecycle_events" (
	"id" text PRIMARY KEY NOT NULL,
	"api_id" text NOT NULL,
	"action" text NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"actor_id" text,
	"actor_email" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_revisions" (
	"id" text PRIMARY KEY NOT NULL,
	"api_id" text NOT NULL,
	"number" integer NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"definition" jsonb NOT NULL,
	"definition_source" text NOT NULL,
	"definition_format" text NOT NULL,
	"source_spec" text NOT NULL,
	"settings" jsonb NOT NULL,
	"operation_count" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_by_email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "apis" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"version" text NOT NULL,
	"context" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"visible_roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"lifecycle_state" text DEFAULT 'CREATED' NOT NULL,
	"origin" text DEFAULT 'meridian' NOT NULL,
	"endpoints" jsonb NOT NULL,
	"security" jsonb NOT NULL,
	"rate_limit" jsonb,
	"cors" jsonb NOT NULL,
	"allowed_tiers" text[] DEFAULT '{}'::text[] NOT NULL,
	"owners" text[] DEFAULT '{}'::text[] NOT NULL,
	"definition" jsonb NOT NULL,
	"definition_source" text NOT NULL,
	"definition_format" text NOT NULL,
	"source_spec" text NOT NULL,
	"operations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"operation_count" integer DEFAULT 0 NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"last_revision_number" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "environments" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"display_name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"type" text NOT NULL,
	"mode" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"public_urls" text[] DEFAULT '{}'::text[] NOT NULL,
	"visible_roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"discovery_interval_minutes" integer DEFAULT 0 NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"snapshot_version" integer DEFAULT 0 NOT NULL,
	"gateway_token_hash" text,
	"gateway_token_prefix" text,
	"gateway_token_created_at" timestamp with time zone,
	"last_test_at" timestamp with time zone,
	"last_test_ok" boolean,
	"last_test_message" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway_instances" (
	"id" text PRIMARY KEY NOT NULL,
	"environment_id" text NOT NULL,
	"instance_id" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"applied_version" integer DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limit_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"display_name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"requests" integer,
	"unit" text,
	"burst" integer,
	"monthly_quota" integer,
	"unlimited" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"application_id" text NOT NULL,
	"key_type" text NOT NULL,
	"name" text NOT NULL,
	"hash" text NOT NULL,
	"prefix" text NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"policy" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oauth_clients" (
	"id" text PRIMARY KEY NOT NULL,
	"application_id" text NOT NULL,
	"key_type" text NOT NULL,
	"client_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"secret_rotated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"application_id" text NOT NULL,
	"api_id" text NOT NULL,
	"tier" text NOT NULL,
	"status" text NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revoked_tokens" (
	"jti" text PRIMARY KEY NOT NULL,
	"application_id" text,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_jwk" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	"published_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" text PRIMARY KEY NOT NULL,
	"api_id" text NOT NULL,
	"revision_id" text NOT NULL,
	"environment_id" text NOT NULL,
	"status" text NOT NULL,
	"reference" jsonb,
	"error" text,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_batches" (
	"batch_id" uuid PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"environment_id" text NOT NULL,
	"event_count" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rolled_up_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "analytics_rollups_day" (
	"bucket" timestamp with time zone NOT NULL,
	"environment" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"api_id" text NOT NULL,
	"operation" text DEFAULT '' NOT NULL,
	"application_id" text DEFAULT '' NOT NULL,
	"status_class" smallint NOT NULL,
	"requests" bigint NOT NULL,
	"status_401" bigint DEFAULT 0 NOT NULL,
	"status_403" bigint DEFAULT 0 NOT NULL,
	"status_429" bigint DEFAULT 0 NOT NULL,
	"request_bytes" bigint DEFAULT 0 NOT NULL,
	"response_bytes" bigint DEFAULT 0 NOT NULL,
	"latency_sum" double precision DEFAULT 0 NOT NULL,
	"latency_max" real DEFAULT 0 NOT NULL,
	"upstream_latency_sum" double precision DEFAULT 0 NOT NULL,
	"upstream_count" bigint DEFAULT 0 NOT NULL,
	"lat_h00" bigint DEFAULT 0 NOT NULL,
	"lat_h01" bigint DEFAULT 0 NOT NULL,
	"lat_h02" bigint DEFAULT 0 NOT NULL,
	"lat_h03" bigint DEFAULT 0 NOT NULL,
	"lat_h04" bigint DEFAULT 0 NOT NULL,
	"lat_h05" bigint DEFAULT 0 NOT NULL,
	"lat_h06" bigint DEFAULT 0 NOT NULL,
	"lat_h07" bigint DEFAULT 0 NOT NULL,
	"lat_h08" bigint DEFAULT 0 NOT NULL,
	"lat_h09" bigint DEFAULT 0 NOT NULL,
	"lat_h10" bigint DEFAULT 0 NOT NULL,
	"lat_h11" bigint DEFAULT 0 NOT NULL,
	"lat_h12" bigint DEFAULT 0 NOT NULL,
	"lat_h13" bigint DEFAULT 0 NOT NULL,
	"lat_h14" bigint DEFAULT 0 NOT NULL,
	"lat_h15" bigint DEFAULT 0 NOT NULL,
	"lat_h16" bigint DEFAULT 0 NOT NULL,
	"lat_h17" bigint DEFAULT 0 NOT NULL,
	"lat_h18" bigint DEFAULT 0 NOT NULL,
	"lat_h19" bigint DEFAULT 0 NOT NULL,
	"lat_h20" bigint DEFAULT 0 NOT NULL,
	"lat_h21" bigint DEFAULT 0 NOT NULL,
	"lat_h22" bigint DEFAULT 0 NOT NULL,
	"lat_h23" bigint DEFAULT 0 NOT NULL,
	"lat_h24" bigint DEFAULT 0 NOT NULL,
	"lat_h25" bigint DEFAULT 0 NOT NULL,
	"lat_h26" bigint DEFAULT 0 NOT NULL,
	"lat_h27" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_events" (
	"id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"batch_seq" bigint DEFAULT 0 NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"environment" text NOT NULL,
	"instance_id" text NOT NULL,
	"region" text,
	"api_id" text NOT NULL,
	"operation" text,
	"application_id" text,
	"key_type" text,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status" integer NOT NULL,
	"latency_ms" real NOT NULL,
	"upstream_latency_ms" real,
	"request_bytes" integer NOT NULL,
	"response_bytes" integer NOT NULL,
	"error_code" text
);
--> statement-breakpoint
CREATE TABLE "analytics_rollups_hour" (
	"bucket" timestamp with time zone NOT NULL,
	"environment" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"api_id" text NOT NULL,
	"operation" text DEFAULT '' NOT NULL,
	"application_id" text DEFAULT '' NOT NULL,
	"status_class" smallint NOT NULL,
	"requests" bigint NOT NULL,
	"status_401" bigint DEFAULT 0 NOT NULL,
	"status_403" bigint DEFAULT 0 NOT NULL,
	"status_429" bigint DEFAULT 0 NOT NULL,
	"request_bytes" bigint DEFAULT 0 NOT NULL,
	"response_bytes" bigint DEFAULT 0 NOT NULL,
	"latency_sum" double precision DEFAULT 0 NOT NULL,
	"latency_max" real DEFAULT 0 NOT NULL,
	"upstream_latency_sum" double precision DEFAULT 0 NOT NULL,
	"upstream_count" bigint DEFAULT 0 NOT NULL,
	"lat_h00" bigint DEFAULT 0 NOT NULL,
	"lat_h01" bigint DEFAULT 0 NOT NULL,
	"lat_h02" bigint DEFAULT 0 NOT NULL,
	"lat_h03" bigint DEFAULT 0 NOT NULL,
	"lat_h04" bigint DEFAULT 0 NOT NULL,
	"lat_h05" bigint DEFAULT 0 NOT NULL,
	"lat_h06" bigint DEFAULT 0 NOT NULL,
	"lat_h07" bigint DEFAULT 0 NOT NULL,
	"lat_h08" bigint DEFAULT 0 NOT NULL,
	"lat_h09" bigint DEFAULT 0 NOT NULL,
	"lat_h10" bigint DEFAULT 0 NOT NULL,
	"lat_h11" bigint DEFAULT 0 NOT NULL,
	"lat_h12" bigint DEFAULT 0 NOT NULL,
	"lat_h13" bigint DEFAULT 0 NOT NULL,
	"lat_h14" bigint DEFAULT 0 NOT NULL,
	"lat_h15" bigint DEFAULT 0 NOT NULL,
	"lat_h16" bigint DEFAULT 0 NOT NULL,
	"lat_h17" bigint DEFAULT 0 NOT NULL,
	"lat_h18" bigint DEFAULT 0 NOT NULL,
	"lat_h19" bigint DEFAULT 0 NOT NULL,
	"lat_h20" bigint DEFAULT 0 NOT NULL,
	"lat_h21" bigint DEFAULT 0 NOT NULL,
	"lat_h22" bigint DEFAULT 0 NOT NULL,
	"lat_h23" bigint DEFAULT 0 NOT NULL,
	"lat_h24" bigint DEFAULT 0 NOT NULL,
	"lat_h25" bigint DEFAULT 0 NOT NULL,
	"lat_h26" bigint DEFAULT 0 NOT NULL,
	"lat_h27" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_rollups_minute" (
	"bucket" timestamp with time zone NOT NULL,
	"environment" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"api_id" text NOT NULL,
	"operation" text DEFAULT '' NOT NULL,
	"application_id" text DEFAULT '' NOT NULL,
	"status_class" smallint NOT NULL,
	"requests" bigint NOT NULL,
	"status_401" bigint DEFAULT 0 NOT NULL,
	"status_403" bigint DEFAULT 0 NOT NULL,
	"status_429" bigint DEFAULT 0 NOT NULL,
	"request_bytes" bigint DEFAULT 0 NOT NULL,
	"response_bytes" bigint DEFAULT 0 NOT NULL,
	"latency_sum" double precision DEFAULT 0 NOT NULL,
	"latency_max" real DEFAULT 0 NOT NULL,
	"upstream_latency_sum" double precision DEFAULT 0 NOT NULL,
	"upstream_count" bigint DEFAULT 0 NOT NULL,
	"lat_h00" bigint DEFAULT 0 NOT NULL,
	"lat_h01" bigint DEFAULT 0 NOT NULL,
	"lat_h02" bigint DEFAULT 0 NOT NULL,
	"lat_h03" bigint DEFAULT 0 NOT NULL,
	"lat_h04" bigint DEFAULT 0 NOT NULL,
	"lat_h05" bigint DEFAULT 0 NOT NULL,
	"lat_h06" bigint DEFAULT 0 NOT NULL,
	"lat_h07" bigint DEFAULT 0 NOT NULL,
	"lat_h08" bigint DEFAULT 0 NOT NULL,
	"lat_h09" bigint DEFAULT 0 NOT NULL,
	"lat_h10" bigint DEFAULT 0 NOT NULL,
	"lat_h11" bigint DEFAULT 0 NOT NULL,
	"lat_h12" bigint DEFAULT 0 NOT NULL,
	"lat_h13" bigint DEFAULT 0 NOT NULL,
	"lat_h14" bigint DEFAULT 0 NOT NULL,
	"lat_h15" bigint DEFAULT 0 NOT NULL,
	"lat_h16" bigint DEFAULT 0 NOT NULL,
	"lat_h17" bigint DEFAULT 0 NOT NULL,
	"lat_h18" bigint DEFAULT 0 NOT NULL,
	"lat_h19" bigint DEFAULT 0 NOT NULL,
	"lat_h20" bigint DEFAULT 0 NOT NULL,
	"lat_h21" bigint DEFAULT 0 NOT NULL,
	"lat_h22" bigint DEFAULT 0 NOT NULL,
	"lat_h23" bigint DEFAULT 0 NOT NULL,
	"lat_h24" bigint DEFAULT 0 NOT NULL,
	"lat_h25" bigint DEFAULT 0 NOT NULL,
	"lat_h26" bigint DEFAULT 0 NOT NULL,
	"lat_h27" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_access_tokens" ADD CONSTRAINT "personal_access_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_documents" ADD CONSTRAINT "api_documents_api_id_apis_id_fk" FOREIGN KEY ("api_id") REFERENCES "public"."apis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_lifecycle_events" ADD CONSTRAINT "api_lifecycle_events_api_id_apis_id_fk" FOREIGN KEY ("api_id") REFERENCES "public"."apis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_revisions" ADD CONSTRAINT "api_revisions_api_id_apis_id_fk" FOREIGN KEY ("api_id") REFERENCES "public"."apis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway_instances" ADD CONSTRAINT "gateway_instances_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_api_id_apis_id_fk" FOREIGN KEY ("api_id") REFERENCES "public"."apis"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_api_id_apis_id_fk" FOREIGN KEY ("api_id") REFERENCES "public"."apis"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_revision_id_api_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."api_revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "auth_attempts_email_at_idx" ON "auth_attempts" USING btree ("email","at");--> statement-breakpoint
CREATE INDEX "auth_attempts_ip_at_idx" ON "auth_attempts" USING btree ("ip","at");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "invitations_user_id_idx" ON "invitations" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "personal_access_tokens_token_hash_key" ON "personal_access_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "personal_access_tokens_user_id_idx" ON "personal_access_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_entries_at_idx" ON "audit_entries" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_entries_actor_at_idx" ON "audit_entries" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "audit_entries_object_idx" ON "audit_entries" USING btree ("object_type","object_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_documents_api_title_key" ON "api_documents" USING btree ("api_id","title");--> statement-breakpoint
CREATE INDEX "api_lifecycle_events_api_at_idx" ON "api_lifecycle_events" USING btree ("api_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_revisions_api_number_key" ON "api_revisions" USING btree ("api_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "apis_context_version_key" ON "apis" USING btree ("context","version");--> statement-breakpoint
CREATE INDEX "apis_owners_idx" ON "apis" USING gin ("owners");--> statement-breakpoint
CREATE INDEX "apis_name_lower_idx" ON "apis" USING btree (lower("name"),"id");--> statement-breakpoint
CREATE INDEX "apis_updated_at_idx" ON "apis" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "apis_search_idx" ON "apis" USING gin ((to_tsvector('simple', "name" || ' ' || "description") || array_to_tsvector("tags")));--> statement-breakpoint
CREATE INDEX "apis_tags_idx" ON "apis" USING gin ("tags");--> statement-breakpoint
CREATE UNIQUE INDEX "environments_name_key" ON "environments" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "environments_gateway_token_hash_key" ON "environments" USING btree ("gateway_token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "gateway_instances_environment_instance_key" ON "gateway_instances" USING btree ("environment_id","instance_id");--> statement-breakpoint
CREATE INDEX "gateway_instances_last_seen_at_idx" ON "gateway_instances" USING btree ("last_seen_at");--> statement-breakpoint
CREATE UNIQUE INDEX "rate_limit_policies_kind_name_key" ON "rate_limit_policies" USING btree ("kind",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "api_keys_application_id_idx" ON "api_keys" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_owner_name_key" ON "applications" USING btree ("owner_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "oauth_clients_client_id_key" ON "oauth_clients" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "oauth_clients_application_key_type_key" ON "oauth_clients" USING btree ("application_id","key_type");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_application_api_key" ON "subscriptions" USING btree ("application_id","api_id");--> statement-breakpoint
CREATE INDEX "subscriptions_api_id_idx" ON "subscriptions" USING btree ("api_id");--> statement-breakpoint
CREATE INDEX "revoked_tokens_expires_at_idx" ON "revoked_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "signing_keys_status_idx" ON "signing_keys" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_api_environment_key" ON "deployments" USING btree ("api_id","environment_id");--> statement-breakpoint
CREATE INDEX "deployments_environment_status_idx" ON "deployments" USING btree ("environment_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_batches_seq_key" ON "analytics_batches" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "analytics_batches_pending_idx" ON "analytics_batches" USING btree ("seq") WHERE "analytics_batches"."rolled_up_at" is null;--> statement-breakpoint
CREATE INDEX "analytics_batches_received_at_idx" ON "analytics_batches" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_rollups_day_key" ON "analytics_rollups_day" USING btree ("bucket","environment","region","api_id","operation","application_id","status_class");--> statement-breakpoint
CREATE INDEX "analytics_rollups_day_api_bucket_idx" ON "analytics_rollups_day" USING btree ("api_id","bucket");--> statement-breakpoint
CREATE INDEX "analytics_rollups_day_application_bucket_idx" ON "analytics_rollups_day" USING btree ("application_id","bucket");--> statement-breakpoint
CREATE INDEX "analytics_events_time_brin" ON "analytics_events" USING brin ("time");--> statement-breakpoint
CREATE INDEX "analytics_events_batch_seq_idx" ON "analytics_events" USING btree ("batch_seq");--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_rollups_hour_key" ON "analytics_rollups_hour" USING btree ("bucket","environment","region","api_id","operation","application_id","status_class");--> statement-breakpoint
CREATE INDEX "analytics_rollups_hour_api_bucket_idx" ON "analytics_rollups_hour" USING btree ("api_id","bucket");--> statement-breakpoint
CREATE INDEX "analytics_rollups_hour_application_bucket_idx" ON "analytics_rollups_hour" USING btree ("application_id","bucket");--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_rollups_minute_key" ON "analytics_rollups_minute" USING btree ("bucket","environment","region","api_id","operation","application_id","status_class");--> statement-breakpoint
CREATE INDEX "analytics_rollups_minute_api_bucket_idx" ON "analytics_rollups_minute" USING btree ("api_id","bucket");--> statement-breakpoint
CREATE INDEX "analytics_rollups_minute_application_bucket_idx" ON "analytics_rollups_minute" USING btree ("application_id","bucket");