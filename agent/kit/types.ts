import type { AnalyticsEvent, Snapshot } from "@/lib/domain/gateway/snapshot";
import type { EventSink } from "@/lib/domain/gateway/sync/event-shipper";

/** Files of a gateway's configuration: path relative to the gateway's configuration directory → content. */
export type CompiledFiles = Record<string, string>;

/** A snapshot this gateway cannot serve as it is meant (a feature it cannot enforce). */
export class CompileError extends Error {
  override name = "CompileError";
}

/** The gateway refused a configuration (`haproxy -c`, `nginx -t`, …); its words are in `message`. */
export class ValidationError extends Error {
  override name = "ValidationError";
}

/** What the gateway reports about itself, for logs and the heartbeat. */
export interface GatewayStats {
  /** Free-form counters the gateway exposes (connections, requests, …). */
  [name: string]: number | string | null;
}

/** The members every call of one operation by one caller with one method shares. */
export type AgentEventGroupFields = Pick<AnalyticsEvent, "apiId" | "operation" | "applicationId" | "keyType" | "method">;

/** A group made by `AgentRequestSink.group`: keep it and pass it with every call of its kind. */
export type AgentEventGroup = string & { readonly __agentEventGroup: true };

/**
 * The cheap way to record requests, for drivers that see every request (a gateway's log): no
 * event object per request. Make a group once per kind of call and keep it (a Map by whatever
 * the gateway writes for those members), then pass each request's own members to `request`.
 */
export interface AgentRequestSink {
  group(fields: AgentEventGroupFields): AgentEventGroup;
  /** The shipper's `recordRequest`, with a group made by `group`. */
  request(group: AgentEventGroup, ...members: RequestMembers): void;
}

/** What `EventSink.recordRequest` takes after its group: time, path, status, latencies, sizes, error code. */
type RequestMembers = Parameters<EventSink["recordRequest"]> extends [string, ...infer Members] ? Members : never;

/**
 * The one interface an agent implements for its gateway. The kit calls `compile` for every
 * snapshot it accepts, then `validate`, then `apply`; a throw from any of them keeps the
 * configuration that serves now and is reported in the next heartbeat as the last error.
 */
export interface GatewayDriver {
  /** Human name for logs: "HAProxy 2.6". */
  readonly name: string;
  /** Pure: the gateway's configuration for a snapshot. Throw CompileError for what it cannot enforce. */
  compile(snapshot: Snapshot): CompiledFiles | Promise<CompiledFiles>;
  /** Ask the gateway itself whether it takes these files, without applying them. Throw ValidationError if not. */
  validate(files: CompiledFiles): Promise<void>;
  /** Make the gateway serve these files without dropping connections. */
  apply(files: CompiledFiles): Promise<void>;
  /** Counters for logs and diagnostics. */
  readStats(): Promise<GatewayStats>;
  /**
   * Analytics: the kit calls this once at start with two sinks; the driver records one event per
   * request that matched an API (from the gateway's logs, its metrics, a plug-in…), either as an
   * event object through `record` or, cheaper at high rates, through `requests`.
   */
  startAnalytics?(
    record: (event: Omit<AnalyticsEvent, "id" | "environment" | "instanceId" | "region">) => void,
    requests: AgentRequestSink,
  ): Promise<void>;
  /** Stop the gateway's child processes and sockets the driver started. */
  stop?(): Promise<void>;
}
