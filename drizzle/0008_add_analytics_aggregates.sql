CREATE TABLE "analytics_aggregate_staging" (
	"batch_seq" bigint NOT NULL,
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
CREATE TABLE "analytics_vendor_minutes" (
	"environment_id" text NOT NULL,
	"api_id" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"status_class" smallint NOT NULL,
	"requests" bigint NOT NULL,
	"latency_sum" double precision DEFAULT 0 NOT NULL,
	"latency_max" real DEFAULT 0 NOT NULL,
	"upstream_latency_sum" double precision DEFAULT 0 NOT NULL,
	"upstream_count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_vendor_minutes_environment_id_api_id_bucket_status_class_pk" PRIMARY KEY("environment_id","api_id","bucket","status_class")
);
--> statement-breakpoint
ALTER TABLE "analytics_batches" ADD COLUMN "aggregated" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "analytics_aggregate_staging_batch_seq_idx" ON "analytics_aggregate_staging" USING btree ("batch_seq");--> statement-breakpoint
CREATE INDEX "analytics_vendor_minutes_bucket_idx" ON "analytics_vendor_minutes" USING btree ("bucket");--> statement-breakpoint
-- Raw events partitioned by UTC day (written by hand: drizzle-kit cannot express partitioning).
-- Retention drops whole days; a default partition takes events of days without their own
-- partition (the worker creates the coming days' partitions ahead).
ALTER TABLE "analytics_events" RENAME TO "analytics_events_unpartitioned";--> statement-breakpoint
ALTER INDEX "analytics_events_time_brin" RENAME TO "analytics_events_unpartitioned_time_brin";--> statement-breakpoint
ALTER INDEX "analytics_events_batch_seq_idx" RENAME TO "analytics_events_unpartitioned_batch_seq_idx";--> statement-breakpoint
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
) PARTITION BY RANGE ("time");--> statement-breakpoint
CREATE TABLE "analytics_events_default" PARTITION OF "analytics_events" DEFAULT;--> statement-breakpoint
CREATE INDEX "analytics_events_time_brin" ON "analytics_events" USING brin ("time");--> statement-breakpoint
CREATE INDEX "analytics_events_batch_seq_idx" ON "analytics_events" USING btree ("batch_seq");--> statement-breakpoint
DO $$
DECLARE d date;
BEGIN
  FOR d IN
    SELECT DISTINCT ("time" AT TIME ZONE 'UTC')::date FROM "analytics_events_unpartitioned"
    UNION
    SELECT generate_series((now() AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + 2, interval '1 day')::date
  LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "analytics_events" FOR VALUES FROM (%L) TO (%L)',
      'analytics_events_p' || to_char(d, 'YYYYMMDD'), d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
  END LOOP;
END $$;--> statement-breakpoint
INSERT INTO "analytics_events" SELECT * FROM "analytics_events_unpartitioned";--> statement-breakpoint
DROP TABLE "analytics_events_unpartitioned";
