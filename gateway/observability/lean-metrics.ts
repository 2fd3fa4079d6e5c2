import type { Registry } from "prom-client";

/**
 * A counter and a histogram for the per-request path. prom-client validates and hashes the
 * labels on every observation (about as costly as routing and authenticating the request, in
 * the profile); these keep plain numbers per label set and build prom-client's exposition
 * shape only when scraped.
 */

type Labels = Record<string, string>;

interface Series<V> {
  labels: Labels;
  value: V;
}

function labelsOf(names: string[], values: string[]): Labels {
  return Object.fromEntries(names.map((n, i) => [n, values[i]]));
}

export class LeanCounter {
  readonly type = "counter";
  readonly aggregator = "sum";
  /** By first label value, then second: two lookups instead of building a key string per call. */
  private readonly series = new Map<string, Map<string | number, Series<number>>>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: string[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  inc(first: string, second: string | number = ""): void {
    let byFirst = this.series.get(first);
    if (!byFirst) this.series.set(first, (byFirst = new Map()));
    const s = byFirst.get(second);
    if (s) s.value++;
    else byFirst.set(second, { labels: labelsOf(this.labelNames, [first, String(second)]), value: 1 });
  }

  async get() {
    const values: { labels: Labels; value: number }[] = [];
    for (const byFirst of this.series.values()) for (const s of byFirst.values()) values.push({ labels: s.labels, value: s.value });
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

interface Buckets {
  counts: Float64Array;
  sum: number;
  count: number;
}

export class LeanHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly series = new Map<string, Series<Buckets>>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: string[],
    private readonly bounds: number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** `key` identifies the label values; they are only read the first time a key is seen. */
  observe(key: string, value: number, first: string): void {
    let s = this.series.get(key);
    if (!s)
      this.series.set(
        key,
        (s = { labels: labelsOf(this.labelNames, [first]), value: { counts: new Float64Array(this.bounds.length), sum: 0, count: 0 } }),
      );
    const b = s.value;
    b.sum += value;
    b.count++;
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= this.bounds[i]) {
        b.counts[i]++;
        break;
      }
    }
  }

  async get() {
    const values: { labels: Labels; value: number; metricName: string }[] = [];
    for (const { labels, value: b } of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += b.counts[i];
        values.push({ labels: { ...labels, le: String(le) }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { ...labels, le: "+Inf" }, value: b.count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: b.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: b.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
