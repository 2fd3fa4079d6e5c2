/** Failures a test asks for: the next `times` matching requests answer `status` (after `delayMs`). */
export interface Fault {
  match: { method?: string; pathContains?: string };
  /** Omitted: the request is only delayed, then served. */
  status?: number;
  times: number;
  delayMs?: number;
  code?: string;
  message?: string;
}

const CODES: Record<number, string> = {
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
  409: "Conflict",
  400: "ValidationError",
};

export class FaultList {
  private faults: Fault[] = [];

  add(fault: Fault): void {
    if (!Number.isInteger(fault.times) || fault.times < 1) throw new Error("A fault needs times ≥ 1.");
    this.faults.push({ ...fault, match: { ...fault.match } });
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** The fault that applies to this request, consumed; undefined when none does. */
  take(method: string, pathAndQuery: string): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        (!f.match.method || f.match.method.toUpperCase() === method.toUpperCase()) &&
        (!f.match.pathContains || pathAndQuery.includes(f.match.pathContains)),
    );
    if (i < 0) return undefined;
    const fault = this.faults[i];
    if (--fault.times <= 0) this.faults.splice(i, 1);
    return fault;
  }
}

export function faultBody(fault: Fault): { error: { code: string; message: string } } {
  const status = fault.status ?? 500;
  return { error: { code: fault.code ?? CODES[status] ?? "Error", message: fault.message ?? `Injected failure: HTTP ${status}.` } };
}
