CREATE TABLE "gateway_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"environment_id" text NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "environments_gateway_token_hash_key";--> statement-breakpoint
ALTER TABLE "gateway_instances" ADD COLUMN "token_id" text;--> statement-breakpoint
ALTER TABLE "gateway_tokens" ADD CONSTRAINT "gateway_tokens_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "gateway_tokens_token_hash_key" ON "gateway_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "gateway_tokens_environment_name_key" ON "gateway_tokens" USING btree ("environment_id","name");--> statement-breakpoint
ALTER TABLE "gateway_instances" ADD CONSTRAINT "gateway_instances_token_id_gateway_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."gateway_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Each environment's single token becomes its token named "primary", still valid.
INSERT INTO "gateway_tokens" ("id", "environment_id", "name", "token_hash", "prefix", "created_at")
SELECT 'gwt_' || substr(md5(random()::text || "id"), 1, 16), "id", 'primary', "gateway_token_hash", coalesce("gateway_token_prefix", 'mgw_'), coalesce("gateway_token_created_at", now())
FROM "environments" WHERE "gateway_token_hash" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "environments" DROP COLUMN "gateway_token_hash";