import net from "node:net";

/**
 * A client that speaks raw bytes: it writes exactly what a case gives (in pieces, with pauses,
 * from a chosen local address) and reads what comes back until the gateway closes the
 * connection, enough responses have arrived, or time runs out. Responses are split with a
 * small reader written for these tests, independent of the parser the gateway uses.
 */

export interface RawResponse {
  status: number;
  /** Lower-case names, repeated names kept, in order. */
  headers: [string, string][];
  body: string;
  /** The whole response as received. */
  raw: string;
}

export interface Received {
  /** Every byte received. */
  raw: string;
  responses: RawResponse[];
  /** The gateway closed (or reset) the connection. */
  closed: boolean;
}

export interface SendOptions {
  /** Pieces written one after another, `pauseMs` apart (a string is one piece). */
  pauseMs?: number;
  /** Stop once this many responses have arrived (default: read until the connection closes). */
  responses?: number;
  /** Methods of the requests sent, in order: a response to HEAD has no body. */
  methods?: string[];
  /** Give up after this long (ms). */
  timeoutMs?: number;
  localAddress?: string;
  /** Read nothing (a client that stops reading) until this resolves. */
  holdReading?: Promise<void>;
}

export function header(res: RawResponse, name: string): string | undefined {
  return res.headers.find(([n]) => n === name)?.[1];
}

export async function send(port: number, pieces: string | string[], options: SendOptions = {}): Promise<Received> {
  const socket = net.connect({ port, host: "127.0.0.1", localAddress: options.localAddress });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  return exchange(socket, Array.isArray(pieces) ? pieces : [pieces], options);
}

/** Writes the pieces on an open socket and collects the answer. */
export function exchange(socket: net.Socket, pieces: string[], options: SendOptions = {}): Promise<Received> {
  const received: Received = { raw: "", responses: [], closed: false };
  return new Promise<Received>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off("data", onData);
      resolve(received);
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 3_000);
    const onData = (data: Buffer) => {
      received.raw += data.toString("latin1");
      received.responses = splitResponses(received.raw, options.methods ?? []);
      if (options.responses !== undefined && received.responses.length >= options.responses) finish();
    };
    if (options.holdReading) {
      socket.pause();
      void options.holdReading.then(() => socket.resume());
    }
    socket.on("data", onData);
    socket.once("close", () => {
      received.closed = true;
      finish();
    });
    socket.on("error", () => {});
    void (async () => {
      for (let i = 0; i < pieces.length; i++) {
        if (i > 0 && options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
        if (socket.destroyed) return;
        socket.write(pieces[i], "latin1");
      }
    })();
  });
}

/** Complete responses at the start of `raw` (an incomplete last one is left out). */
export function splitResponses(raw: string, methods: string[]): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = raw;
  let request = 0;
  for (;;) {
    const end = rest.indexOf("\r\n\r\n");
    if (end < 0) return out;
    const [line, ...fields] = rest.slice(0, end).split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(line)?.[1] ?? NaN);
    if (Number.isNaN(status)) return out;
    const headers = fields.map((f): [string, string] => [f.slice(0, f.indexOf(":")).toLowerCase(), f.slice(f.indexOf(":") + 1).trim()]);
    const find = (name: string) => headers.find(([n]) => n === name)?.[1];
    let body = "";
    let length = end + 4;
    const informational = status < 200;
    const noBody = informational || status === 204 || status === 304 || methods[request] === "HEAD";
    if (!noBody) {
      const after = rest.slice(end + 4);
      if (find("transfer-encoding") === "chunked") {
        let pos = 0;
        for (;;) {
          const lineEnd = after.indexOf("\r\n", pos);
          if (lineEnd < 0) return out;
          const size = parseInt(after.slice(pos, lineEnd), 16);
          if (size === 0) {
            const trailerEnd = after.indexOf("\r\n", lineEnd + 2);
            if (trailerEnd < 0) return out;
            pos = trailerEnd + 2;
            break;
          }
          if (after.length < lineEnd + 2 + size + 2) return out;
          body += after.slice(lineEnd + 2, lineEnd + 2 + size);
          pos = lineEnd + 2 + size + 2;
        }
        length += pos;
      } else if (find("content-length") !== undefined) {
        const n = Number(find("content-length"));
        if (after.length < n) return out;
        body = after.slice(0, n);
        length += n;
      } else {
        // Delimited by the end of the connection: only whole once the caller saw it close.
        body = after;
        length = rest.length;
      }
    }
    out.push({ status, headers, body, raw: rest.slice(0, length) });
    rest = rest.slice(length);
    if (!informational) request++;
  }
}
