/**
 * Failures a test asks for: the next `times` management calls that match answer with `status`
 * (after `delayMs`), in the error shape API Gateway uses for that status. Status 0 drops the
 * connection without an answer.
 */
export interface Fault {
  match?: { method?: string; pathPrefix?: string; pathContains?: string };
  status: number;
  times?: number;
  delayMs?: number;
  /** x-amzn-ErrorType; by default the one API Gateway uses for the status. */
  errorType?: string;
  message?: string;
}

export function takeFault(faults: Fault[], method: string, path: string): Fault | undefined {
  const i = faults.findIndex(
    (f) =>
      (!f.match?.method || f.match.method.toUpperCase() === method) &&
      (!f.match?.pathPrefix || path.startsWith(f.match.pathPrefix)) &&
      (!f.match?.pathContains || path.includes(f.match.pathContains)),
  );
  if (i < 0) return undefined;
  const fault = faults[i];
  const left = (fault.times ?? 1) - 1;
  if (left <= 0) faults.splice(i, 1);
  else faults[i] = { ...fault, times: left };
  return fault;
}

export function parseFaults(value: unknown): Fault[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((f) => {
    const fault = f as Fault;
    if (!fault || typeof fault.status !== "number" || !(fault.status === 0 || (fault.status >= 400 && fault.status <= 599)))
      throw new Error("A fault needs a status: 0 (drop the connection) or 400–599.");
    if (fault.times !== undefined && (!Number.isInteger(fault.times) || fault.times < 1))
      throw new Error("times must be a whole number of at least 1.");
    if (fault.delayMs !== undefined && (typeof fault.delayMs !== "number" || fault.delayMs < 0 || fault.delayMs > 60_000))
      throw new Error("delayMs must be between 0 and 60000.");
    return { ...fault, times: fault.times ?? 1 };
  });
}
