import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIALS, startAwsEmulator, type AwsEmulator } from "@/e2e/emulators/aws/server";
import { startAzureEmulator, type AzureEmulator } from "@/e2e/emulators/azure/server";
import { apiManagementClient, azureCredential } from "@/lib/connectors/azure/client";
import { azureConfigSchema } from "@/lib/connectors/azure/descriptor";

/** The metrics the emulators serve refuse what CloudWatch and API Management refuse. */

let aws: AwsEmulator;
let azure: AzureEmulator;

beforeAll(async () => {
  aws = await startAwsEmulator();
  azure = await startAzureEmulator();
});
afterAll(async () => {
  await aws?.close();
  await azure?.close();
});

function cloudWatch(credentials = DEFAULT_CREDENTIALS) {
  return new CloudWatchClient({ region: "eu-west-1", endpoint: aws.url, credentials, maxAttempts: 1 });
}

const query = (id: string, period = 60) => ({
  Id: id,
  MetricStat: {
    Metric: { Namespace: "AWS/ApiGateway", MetricName: "Count", Dimensions: [{ Name: "ApiName", Value: "Shop" }] },
    Period: period,
    Stat: "Sum",
  },
});

describe("CloudWatch GetMetricData on the AWS emulator", () => {
  it("answers data points from the traffic the data plane carried, and refuses invalid queries as CloudWatch does", async () => {
    const now = Date.now();
    const minute = Math.floor(now / 60_000) * 60_000;
    aws.state.traffic.push(
      { time: minute + 1_000, apiName: "Shop", stage: "meridian", status: 200, latencyMs: 10, integrationLatencyMs: 8 },
      { time: minute + 2_000, apiName: "Shop", stage: "meridian", status: 503, latencyMs: 30, integrationLatencyMs: 29 },
      { time: minute + 3_000, apiName: "Other", stage: "meridian", status: 200, latencyMs: 1, integrationLatencyMs: 1 },
    );
    const client = cloudWatch();
    const out = await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          query("count"),
          {
            ...query("lat"),
            MetricStat: {
              ...query("lat").MetricStat,
              Metric: { ...query("lat").MetricStat.Metric, MetricName: "Latency" },
              Stat: "Average",
            },
          },
        ],
        StartTime: new Date(minute - 60_000),
        EndTime: new Date(minute + 60_000),
      }),
    );
    expect(out.MetricDataResults?.map((r) => [r.Id, r.Timestamps?.map((t) => t.getTime()), r.Values])).toEqual([
      ["count", [minute], [2]],
      ["lat", [minute], [20]],
    ]);
    await expect(
      client.send(
        new GetMetricDataCommand({ MetricDataQueries: [query("Bad-Id")], StartTime: new Date(minute), EndTime: new Date(now + 1) }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterValueException" });
    await expect(
      client.send(
        new GetMetricDataCommand({ MetricDataQueries: [query("q", 45)], StartTime: new Date(minute), EndTime: new Date(now + 1) }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterValueException" });
    await expect(
      cloudWatch({ ...DEFAULT_CREDENTIALS, secretAccessKey: "wrong" }).send(
        new GetMetricDataCommand({ MetricDataQueries: [query("q")], StartTime: new Date(minute), EndTime: new Date(now + 1) }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    client.destroy();
  });
});

describe("API Management reports on the Azure emulator", () => {
  it("needs a timestamp range, and byTime an interval of whole quarter hours", async () => {
    const config = azureConfigSchema.parse(azure.config);
    const client = await apiManagementClient(config, await azureCredential(config));
    const { resourceGroup: rg, serviceName: service } = config;
    const collect = async (it: AsyncIterable<unknown>) => {
      const out: unknown[] = [];
      for await (const x of it) out.push(x);
      return out;
    };
    const now = Date.now();
    const quarter = Math.floor(now / 900_000) * 900_000;
    azure.state.traffic.push({
      time: quarter + 1_000,
      apiId: "shop",
      operationId: "get",
      subscriptionId: null,
      productId: null,
      status: 429,
      apiTimeMs: 2,
      serviceTimeMs: null,
      bandwidth: 100,
    });
    const range = `timestamp ge datetime'${new Date(quarter).toISOString().slice(0, -1)}' and timestamp le datetime'${new Date(quarter + 899_999).toISOString().slice(0, -1)}'`;
    expect(await collect(client.reports.listByApi(rg, service, range))).toEqual([
      expect.objectContaining({ apiId: "/apis/shop", callCountTotal: 1, callCountBlocked: 1, callCountSuccess: 0, bandwidth: 100 }),
    ]);
    expect(await collect(client.reports.listByTime(rg, service, range, "PT15M"))).toEqual([
      expect.objectContaining({ callCountTotal: 1, timestamp: new Date(quarter) }),
    ]);
    await expect(collect(client.reports.listByTime(rg, service, range, "PT5M"))).rejects.toMatchObject({ statusCode: 400 });
    await expect(collect(client.reports.listByApi(rg, service, "apiId eq 'shop'"))).rejects.toMatchObject({ statusCode: 400 });
  });
});
