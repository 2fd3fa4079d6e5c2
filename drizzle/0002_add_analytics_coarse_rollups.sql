CREATE TABLE "analytics_env_rollups_day" (
	"bucket" timestamp with time zone NOT NULL,
	"environment" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
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
CREATE TABLE "analytics_env_rollups_hour" (
	"bucket" timestamp with time zone NOT NULL,
	"environment" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
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
CREATE TABLE "analytics_env_rollups_minute" (
	"bucket" timestamp with time zone NOT NULL,
	"environment" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
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
CREATE TABLE "analytics_rollups_week" (
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
CREATE UNIQUE INDEX "analytics_env_rollups_day_key" ON "analytics_env_rollups_day" USING btree ("bucket","environment","region","status_class");--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_env_rollups_hour_key" ON "analytics_env_rollups_hour" USING btree ("bucket","environment","region","status_class");--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_env_rollups_minute_key" ON "analytics_env_rollups_minute" USING btree ("bucket","environment","region","status_class");--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_rollups_week_key" ON "analytics_rollups_week" USING btree ("bucket","environment","region","api_id","operation","application_id","status_class");--> statement-breakpoint
CREATE INDEX "analytics_rollups_week_api_bucket_idx" ON "analytics_rollups_week" USING btree ("api_id","bucket");--> statement-breakpoint
CREATE INDEX "analytics_rollups_week_application_bucket_idx" ON "analytics_rollups_week" USING btree ("application_id","bucket");
--> statement-breakpoint
-- Existing roll-ups, regrouped into the new tables: queries read them from now on.
insert into analytics_rollups_week as t (bucket, environment, region, api_id, operation, application_id, status_class, requests, status_401, status_403, status_429, request_bytes, response_bytes, latency_sum, latency_max, upstream_latency_sum, upstream_count, lat_h00, lat_h01, lat_h02, lat_h03, lat_h04, lat_h05, lat_h06, lat_h07, lat_h08, lat_h09, lat_h10, lat_h11, lat_h12, lat_h13, lat_h14, lat_h15, lat_h16, lat_h17, lat_h18, lat_h19, lat_h20, lat_h21, lat_h22, lat_h23, lat_h24, lat_h25, lat_h26, lat_h27)
  select date_trunc('week', bucket, 'UTC') as bucket, environment, region, api_id, operation, application_id, status_class, sum(requests), sum(status_401), sum(status_403), sum(status_429), sum(request_bytes), sum(response_bytes), sum(latency_sum), max(latency_max), sum(upstream_latency_sum), sum(upstream_count), sum(lat_h00), sum(lat_h01), sum(lat_h02), sum(lat_h03), sum(lat_h04), sum(lat_h05), sum(lat_h06), sum(lat_h07), sum(lat_h08), sum(lat_h09), sum(lat_h10), sum(lat_h11), sum(lat_h12), sum(lat_h13), sum(lat_h14), sum(lat_h15), sum(lat_h16), sum(lat_h17), sum(lat_h18), sum(lat_h19), sum(lat_h20), sum(lat_h21), sum(lat_h22), sum(lat_h23), sum(lat_h24), sum(lat_h25), sum(lat_h26), sum(lat_h27)
  from analytics_rollups_day
  group by 1, environment, region, api_id, operation, application_id, status_class
  on conflict (bucket, environment, region, api_id, operation, application_id, status_class) do update set requests = t.requests + excluded.requests, status_401 = t.status_401 + excluded.status_401, status_403 = t.status_403 + excluded.status_403, status_429 = t.status_429 + excluded.status_429, request_bytes = t.request_bytes + excluded.request_bytes, response_bytes = t.response_bytes + excluded.response_bytes, latency_sum = t.latency_sum + excluded.latency_sum, latency_max = greatest(t.latency_max, excluded.latency_max), upstream_latency_sum = t.upstream_latency_sum + excluded.upstream_latency_sum, upstream_count = t.upstream_count + excluded.upstream_count, lat_h00 = t.lat_h00 + excluded.lat_h00, lat_h01 = t.lat_h01 + excluded.lat_h01, lat_h02 = t.lat_h02 + excluded.lat_h02, lat_h03 = t.lat_h03 + excluded.lat_h03, lat_h04 = t.lat_h04 + excluded.lat_h04, lat_h05 = t.lat_h05 + excluded.lat_h05, lat_h06 = t.lat_h06 + excluded.lat_h06, lat_h07 = t.lat_h07 + excluded.lat_h07, lat_h08 = t.lat_h08 + excluded.lat_h08, lat_h09 = t.lat_h09 + excluded.lat_h09, lat_h10 = t.lat_h10 + excluded.lat_h10, lat_h11 = t.lat_h11 + excluded.lat_h11, lat_h12 = t.lat_h12 + excluded.lat_h12, lat_h13 = t.lat_h13 + excluded.lat_h13, lat_h14 = t.lat_h14 + excluded.lat_h14, lat_h15 = t.lat_h15 + excluded.lat_h15, lat_h16 = t.lat_h16 + excluded.lat_h16, lat_h17 = t.lat_h17 + excluded.lat_h17, lat_h18 = t.lat_h18 + excluded.lat_h18, lat_h19 = t.lat_h19 + excluded.lat_h19, lat_h20 = t.lat_h20 + excluded.lat_h20, lat_h21 = t.lat_h21 + excluded.lat_h21, lat_h22 = t.lat_h22 + excluded.lat_h22, lat_h23 = t.lat_h23 + excluded.lat_h23, lat_h24 = t.lat_h24 + excluded.lat_h24, lat_h25 = t.lat_h25 + excluded.lat_h25, lat_h26 = t.lat_h26 + excluded.lat_h26, lat_h27 = t.lat_h27 + excluded.lat_h27;--> statement-breakpoint
insert into analytics_env_rollups_minute as t (bucket, environment, region, status_class, requests, status_401, status_403, status_429, request_bytes, response_bytes, latency_sum, latency_max, upstream_latency_sum, upstream_count, lat_h00, lat_h01, lat_h02, lat_h03, lat_h04, lat_h05, lat_h06, lat_h07, lat_h08, lat_h09, lat_h10, lat_h11, lat_h12, lat_h13, lat_h14, lat_h15, lat_h16, lat_h17, lat_h18, lat_h19, lat_h20, lat_h21, lat_h22, lat_h23, lat_h24, lat_h25, lat_h26, lat_h27)
  select date_trunc('minute', bucket, 'UTC') as bucket, environment, region, status_class, sum(requests), sum(status_401), sum(status_403), sum(status_429), sum(request_bytes), sum(response_bytes), sum(latency_sum), max(latency_max), sum(upstream_latency_sum), sum(upstream_count), sum(lat_h00), sum(lat_h01), sum(lat_h02), sum(lat_h03), sum(lat_h04), sum(lat_h05), sum(lat_h06), sum(lat_h07), sum(lat_h08), sum(lat_h09), sum(lat_h10), sum(lat_h11), sum(lat_h12), sum(lat_h13), sum(lat_h14), sum(lat_h15), sum(lat_h16), sum(lat_h17), sum(lat_h18), sum(lat_h19), sum(lat_h20), sum(lat_h21), sum(lat_h22), sum(lat_h23), sum(lat_h24), sum(lat_h25), sum(lat_h26), sum(lat_h27)
  from analytics_rollups_minute
  group by 1, environment, region, status_class
  on conflict (bucket, environment, region, status_class) do update set requests = t.requests + excluded.requests, status_401 = t.status_401 + excluded.status_401, status_403 = t.status_403 + excluded.status_403, status_429 = t.status_429 + excluded.status_429, request_bytes = t.request_bytes + excluded.request_bytes, response_bytes = t.response_bytes + excluded.response_bytes, latency_sum = t.latency_sum + excluded.latency_sum, latency_max = greatest(t.latency_max, excluded.latency_max), upstream_latency_sum = t.upstream_latency_sum + excluded.upstream_latency_sum, upstream_count = t.upstream_count + excluded.upstream_count, lat_h00 = t.lat_h00 + excluded.lat_h00, lat_h01 = t.lat_h01 + excluded.lat_h01, lat_h02 = t.lat_h02 + excluded.lat_h02, lat_h03 = t.lat_h03 + excluded.lat_h03, lat_h04 = t.lat_h04 + excluded.lat_h04, lat_h05 = t.lat_h05 + excluded.lat_h05, lat_h06 = t.lat_h06 + excluded.lat_h06, lat_h07 = t.lat_h07 + excluded.lat_h07, lat_h08 = t.lat_h08 + excluded.lat_h08, lat_h09 = t.lat_h09 + excluded.lat_h09, lat_h10 = t.lat_h10 + excluded.lat_h10, lat_h11 = t.lat_h11 + excluded.lat_h11, lat_h12 = t.lat_h12 + excluded.lat_h12, lat_h13 = t.lat_h13 + excluded.lat_h13, lat_h14 = t.lat_h14 + excluded.lat_h14, lat_h15 = t.lat_h15 + excluded.lat_h15, lat_h16 = t.lat_h16 + excluded.lat_h16, lat_h17 = t.lat_h17 + excluded.lat_h17, lat_h18 = t.lat_h18 + excluded.lat_h18, lat_h19 = t.lat_h19 + excluded.lat_h19, lat_h20 = t.lat_h20 + excluded.lat_h20, lat_h21 = t.lat_h21 + excluded.lat_h21, lat_h22 = t.lat_h22 + excluded.lat_h22, lat_h23 = t.lat_h23 + excluded.lat_h23, lat_h24 = t.lat_h24 + excluded.lat_h24, lat_h25 = t.lat_h25 + excluded.lat_h25, lat_h26 = t.lat_h26 + excluded.lat_h26, lat_h27 = t.lat_h27 + excluded.lat_h27;--> statement-breakpoint
insert into analytics_env_rollups_hour as t (bucket, environment, region, status_class, requests, status_401, status_403, status_429, request_bytes, response_bytes, latency_sum, latency_max, upstream_latency_sum, upstream_count, lat_h00, lat_h01, lat_h02, lat_h03, lat_h04, lat_h05, lat_h06, lat_h07, lat_h08, lat_h09, lat_h10, lat_h11, lat_h12, lat_h13, lat_h14, lat_h15, lat_h16, lat_h17, lat_h18, lat_h19, lat_h20, lat_h21, lat_h22, lat_h23, lat_h24, lat_h25, lat_h26, lat_h27)
  select date_trunc('hour', bucket, 'UTC') as bucket, environment, region, status_class, sum(requests), sum(status_401), sum(status_403), sum(status_429), sum(request_bytes), sum(response_bytes), sum(latency_sum), max(latency_max), sum(upstream_latency_sum), sum(upstream_count), sum(lat_h00), sum(lat_h01), sum(lat_h02), sum(lat_h03), sum(lat_h04), sum(lat_h05), sum(lat_h06), sum(lat_h07), sum(lat_h08), sum(lat_h09), sum(lat_h10), sum(lat_h11), sum(lat_h12), sum(lat_h13), sum(lat_h14), sum(lat_h15), sum(lat_h16), sum(lat_h17), sum(lat_h18), sum(lat_h19), sum(lat_h20), sum(lat_h21), sum(lat_h22), sum(lat_h23), sum(lat_h24), sum(lat_h25), sum(lat_h26), sum(lat_h27)
  from analytics_rollups_hour
  group by 1, environment, region, status_class
  on conflict (bucket, environment, region, status_class) do update set requests = t.requests + excluded.requests, status_401 = t.status_401 + excluded.status_401, status_403 = t.status_403 + excluded.status_403, status_429 = t.status_429 + excluded.status_429, request_bytes = t.request_bytes + excluded.request_bytes, response_bytes = t.response_bytes + excluded.response_bytes, latency_sum = t.latency_sum + excluded.latency_sum, latency_max = greatest(t.latency_max, excluded.latency_max), upstream_latency_sum = t.upstream_latency_sum + excluded.upstream_latency_sum, upstream_count = t.upstream_count + excluded.upstream_count, lat_h00 = t.lat_h00 + excluded.lat_h00, lat_h01 = t.lat_h01 + excluded.lat_h01, lat_h02 = t.lat_h02 + excluded.lat_h02, lat_h03 = t.lat_h03 + excluded.lat_h03, lat_h04 = t.lat_h04 + excluded.lat_h04, lat_h05 = t.lat_h05 + excluded.lat_h05, lat_h06 = t.lat_h06 + excluded.lat_h06, lat_h07 = t.lat_h07 + excluded.lat_h07, lat_h08 = t.lat_h08 + excluded.lat_h08, lat_h09 = t.lat_h09 + excluded.lat_h09, lat_h10 = t.lat_h10 + excluded.lat_h10, lat_h11 = t.lat_h11 + excluded.lat_h11, lat_h12 = t.lat_h12 + excluded.lat_h12, lat_h13 = t.lat_h13 + excluded.lat_h13, lat_h14 = t.lat_h14 + excluded.lat_h14, lat_h15 = t.lat_h15 + excluded.lat_h15, lat_h16 = t.lat_h16 + excluded.lat_h16, lat_h17 = t.lat_h17 + excluded.lat_h17, lat_h18 = t.lat_h18 + excluded.lat_h18, lat_h19 = t.lat_h19 + excluded.lat_h19, lat_h20 = t.lat_h20 + excluded.lat_h20, lat_h21 = t.lat_h21 + excluded.lat_h21, lat_h22 = t.lat_h22 + excluded.lat_h22, lat_h23 = t.lat_h23 + excluded.lat_h23, lat_h24 = t.lat_h24 + excluded.lat_h24, lat_h25 = t.lat_h25 + excluded.lat_h25, lat_h26 = t.lat_h26 + excluded.lat_h26, lat_h27 = t.lat_h27 + excluded.lat_h27;--> statement-breakpoint
insert into analytics_env_rollups_day as t (bucket, environment, region, status_class, requests, status_401, status_403, status_429, request_bytes, response_bytes, latency_sum, latency_max, upstream_latency_sum, upstream_count, lat_h00, lat_h01, lat_h02, lat_h03, lat_h04, lat_h05, lat_h06, lat_h07, lat_h08, lat_h09, lat_h10, lat_h11, lat_h12, lat_h13, lat_h14, lat_h15, lat_h16, lat_h17, lat_h18, lat_h19, lat_h20, lat_h21, lat_h22, lat_h23, lat_h24, lat_h25, lat_h26, lat_h27)
  select date_trunc('day', bucket, 'UTC') as bucket, environment, region, status_class, sum(requests), sum(status_401), sum(status_403), sum(status_429), sum(request_bytes), sum(response_bytes), sum(latency_sum), max(latency_max), sum(upstream_latency_sum), sum(upstream_count), sum(lat_h00), sum(lat_h01), sum(lat_h02), sum(lat_h03), sum(lat_h04), sum(lat_h05), sum(lat_h06), sum(lat_h07), sum(lat_h08), sum(lat_h09), sum(lat_h10), sum(lat_h11), sum(lat_h12), sum(lat_h13), sum(lat_h14), sum(lat_h15), sum(lat_h16), sum(lat_h17), sum(lat_h18), sum(lat_h19), sum(lat_h20), sum(lat_h21), sum(lat_h22), sum(lat_h23), sum(lat_h24), sum(lat_h25), sum(lat_h26), sum(lat_h27)
  from analytics_rollups_day
  group by 1, environment, region, status_class
  on conflict (bucket, environment, region, status_class) do update set requests = t.requests + excluded.requests, status_401 = t.status_401 + excluded.status_401, status_403 = t.status_403 + excluded.status_403, status_429 = t.status_429 + excluded.status_429, request_bytes = t.request_bytes + excluded.request_bytes, response_bytes = t.response_bytes + excluded.response_bytes, latency_sum = t.latency_sum + excluded.latency_sum, latency_max = greatest(t.latency_max, excluded.latency_max), upstream_latency_sum = t.upstream_latency_sum + excluded.upstream_latency_sum, upstream_count = t.upstream_count + excluded.upstream_count, lat_h00 = t.lat_h00 + excluded.lat_h00, lat_h01 = t.lat_h01 + excluded.lat_h01, lat_h02 = t.lat_h02 + excluded.lat_h02, lat_h03 = t.lat_h03 + excluded.lat_h03, lat_h04 = t.lat_h04 + excluded.lat_h04, lat_h05 = t.lat_h05 + excluded.lat_h05, lat_h06 = t.lat_h06 + excluded.lat_h06, lat_h07 = t.lat_h07 + excluded.lat_h07, lat_h08 = t.lat_h08 + excluded.lat_h08, lat_h09 = t.lat_h09 + excluded.lat_h09, lat_h10 = t.lat_h10 + excluded.lat_h10, lat_h11 = t.lat_h11 + excluded.lat_h11, lat_h12 = t.lat_h12 + excluded.lat_h12, lat_h13 = t.lat_h13 + excluded.lat_h13, lat_h14 = t.lat_h14 + excluded.lat_h14, lat_h15 = t.lat_h15 + excluded.lat_h15, lat_h16 = t.lat_h16 + excluded.lat_h16, lat_h17 = t.lat_h17 + excluded.lat_h17, lat_h18 = t.lat_h18 + excluded.lat_h18, lat_h19 = t.lat_h19 + excluded.lat_h19, lat_h20 = t.lat_h20 + excluded.lat_h20, lat_h21 = t.lat_h21 + excluded.lat_h21, lat_h22 = t.lat_h22 + excluded.lat_h22, lat_h23 = t.lat_h23 + excluded.lat_h23, lat_h24 = t.lat_h24 + excluded.lat_h24, lat_h25 = t.lat_h25 + excluded.lat_h25, lat_h26 = t.lat_h26 + excluded.lat_h26, lat_h27 = t.lat_h27 + excluded.lat_h27;
