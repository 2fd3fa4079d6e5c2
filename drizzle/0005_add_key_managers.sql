CREATE TABLE "api_key_managers" (
	"api_id" text NOT NULL,
	"key_manager_id" text NOT NULL,
	CONSTRAINT "api_key_managers_api_id_key_manager_id_pk" PRIMARY KEY("api_id","key_manager_id")
);
--> statement-breakpoint
CREATE TABLE "environment_key_managers" (
	"environment_id" text NOT NULL,
	"key_manager_id" text NOT NULL,
	CONSTRAINT "environment_key_managers_environment_id_key_manager_id_pk" PRIMARY KEY("environment_id","key_manager_id")
);
--> statement-breakpoint
CREATE TABLE "key_manager_clients" (
	"id" text PRIMARY KEY NOT NULL,
	"key_manager_id" text NOT NULL,
	"application_id" text NOT NULL,
	"key_type" text NOT NULL,
	"mode" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_encrypted" text,
	"registration_access_token_encrypted" text,
	"registration_client_uri" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "key_managers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"display_name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"issuer" text NOT NULL,
	"jwks_uri" text NOT NULL,
	"token_endpoint" text NOT NULL,
	"registration_endpoint" text,
	"client_id_claim" text DEFAULT 'client_id' NOT NULL,
	"audiences" text[] DEFAULT '{}'::text[] NOT NULL,
	"registration_token_encrypted" text,
	"last_test_at" timestamp with time zone,
	"last_test_ok" boolean,
	"last_test_message" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_key_managers" ADD CONSTRAINT "api_key_managers_api_id_apis_id_fk" FOREIGN KEY ("api_id") REFERENCES "public"."apis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_key_managers" ADD CONSTRAINT "environment_key_managers_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_manager_clients" ADD CONSTRAINT "key_manager_clients_key_manager_id_key_managers_id_fk" FOREIGN KEY ("key_manager_id") REFERENCES "public"."key_managers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_manager_clients" ADD CONSTRAINT "key_manager_clients_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_key_managers_key_manager_id_idx" ON "api_key_managers" USING btree ("key_manager_id");--> statement-breakpoint
CREATE INDEX "environment_key_managers_key_manager_id_idx" ON "environment_key_managers" USING btree ("key_manager_id");--> statement-breakpoint
CREATE UNIQUE INDEX "key_manager_clients_client_key" ON "key_manager_clients" USING btree ("key_manager_id","client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "key_manager_clients_application_key" ON "key_manager_clients" USING btree ("key_manager_id","application_id","key_type");--> statement-breakpoint
CREATE INDEX "key_manager_clients_application_id_idx" ON "key_manager_clients" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "key_managers_name_key" ON "key_managers" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "key_managers_issuer_key" ON "key_managers" USING btree ("issuer");