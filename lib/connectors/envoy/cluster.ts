import type { KubeConfig, KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import { networkFailure } from "../http";
import { ConnectorError } from "../types";
import type { EnvoyConfig } from "./descriptor";
import { FIELD_MANAGER } from "./names";

/**
 * The cluster through @kubernetes/client-node's objects API: one client per call site, with the
 * environment's CA and token only (never the process's kubeconfig). Loaded on first use.
 */
export async function objectsApi(config: EnvoyConfig, signal?: AbortSignal): Promise<KubernetesObjectApi> {
  const { KubernetesObjectApi } = await import("@kubernetes/client-node");
  return KubernetesObjectApi.makeApiClient(await kubeConfig(config, signal));
}

/** Each request's time limit (MERIDIAN_K8S_REQUEST_TIMEOUT_MS): a cluster that stops answering half-way fails as a retryable timeout. */
const requestTimeoutMs = () => Number(process.env.MERIDIAN_K8S_REQUEST_TIMEOUT_MS) || 30_000;

export async function kubeConfig(config: EnvoyConfig, signal?: AbortSignal): Promise<KubeConfig> {
  const { KubeConfig } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: "meridian",
        server: config.apiServerUrl.replace(/\/+$/, ""),
        skipTLSVerify: false,
        ...(config.caCertificate ? { caData: Buffer.from(config.caCertificate).toString("base64") } : {}),
      },
    ],
    users: [{ name: "meridian", token: config.bearerToken }],
    contexts: [{ name: "meridian", cluster: "meridian", user: "meridian", namespace: config.namespace }],
    currentContext: "meridian",
  });
  // Every request passes through here: it gets the caller's signal and a time limit of its own.
  const authenticate = kc.applySecurityAuthentication.bind(kc);
  kc.applySecurityAuthentication = async (context) => {
    await authenticate(context);
    const timeout = AbortSignal.timeout(requestTimeoutMs());
    context.setSignal(signal ? AbortSignal.any([signal, timeout]) : timeout);
  };
  return kc;
}

type K8sStatusBody = {
  kind?: string;
  reason?: string;
  message?: string;
  details?: { kind?: string; name?: string; causes?: Array<{ reason?: string; message?: string; field?: string }> };
};

function statusBody(error: unknown): K8sStatusBody | undefined {
  const body = (error as { body?: unknown }).body;
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as K8sStatusBody;
    } catch {
      return { message: body };
    }
  }
  return body && typeof body === "object" ? (body as K8sStatusBody) : undefined;
}

export const statusCode = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
};

export const isNotFound = (error: unknown) => statusCode(error) === 404;

/** A 409 that a fresh attempt can win: the object changed under us (not a field owned by another manager). */
export const isRetryableConflict = (error: unknown) =>
  statusCode(error) === 409 &&
  statusBody(error)?.reason === "Conflict" &&
  !statusBody(error)?.details?.causes?.some((c) => c.reason === "FieldManagerConflict");

/** An API server failure as a ConnectorError: 422 with its field causes, 401/403, throttling and 5xx retryable. */
export function toConnectorError(error: unknown, doing: string, config?: EnvoyConfig): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const network = networkFailure(error);
  if (network) {
    return new ConnectorError(
      network.includes("time") ? "timeout" : "unavailable",
      `The Kubernetes API server did not answer while ${doing}: ${network}.`,
    );
  }
  const code = statusCode(error);
  if (code === undefined)
    return new ConnectorError("unavailable", `The Kubernetes API failed while ${doing}: ${(error as Error).message?.split("\n")[0]}`);
  const body = statusBody(error);
  const causes = (body?.details?.causes ?? []).map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).filter(Boolean);
  const message = (body?.message ?? "no details").slice(0, 500);
  const said = `The Kubernetes API answered ${code}${body?.reason ? ` ${body.reason}` : ""} while ${doing}: ${causes.length && code === 422 ? causes.join("; ") : message}`;
  if (code === 401) return new ConnectorError("unauthorized", `The Kubernetes API refused the bearer token while ${doing}.`, false, code);
  if (code === 403)
    return new ConnectorError(
      "forbidden",
      `The token may not do this in namespace ${config?.namespace ?? "?"} while ${doing}: ${message}`,
      false,
      code,
    );
  if (code === 404 && body?.details?.kind === "namespaces")
    return new ConnectorError(
      "not_found",
      `The namespace ${config?.namespace ?? body.details.name} does not exist in the cluster.`,
      false,
      code,
    );
  if (code === 404) return new ConnectorError("not_found", said, false, code);
  if (code === 409) return new ConnectorError("conflict", said, false, code);
  if (code === 422 || code === 400) return new ConnectorError("invalid", said, false, code);
  if (code === 429) return new ConnectorError("throttled", said, true, code);
  if (code === 408 || code === 504) return new ConnectorError("timeout", said, true, code);
  if (code >= 500) return new ConnectorError("unavailable", said, true, code);
  return new ConnectorError("invalid", said, false, code);
}

/** Runs a call, again after a 409 "the object has been modified" (a few times, briefly apart). */
export async function withConflictRetry<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (error) {
      if (i >= attempts || !isRetryableConflict(error)) throw error;
      await new Promise((r) => setTimeout(r, 50 * i));
    }
  }
}

/**
 * Server-side apply as field manager `meridian`, forcing conflicts: callers apply only objects
 * that carry Meridian's labels (or do not exist yet), and a field Meridian applies that someone
 * changed by hand (`kubectl edit`, another apply) is drift that deploying, or re-applying, must
 * take back, as Kubernetes advises controllers to do. Fields Meridian does not apply (the
 * subscribed clients' rules, the key Secret's entries, anyone else's additions) stay theirs.
 */
export function applyObject<T extends KubernetesObject>(api: KubernetesObjectApi, object: T): Promise<T> {
  return api.patch(object, undefined, undefined, FIELD_MANAGER, true, "application/apply-patch+yaml");
}

export async function readOrMissing<T extends KubernetesObject>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
