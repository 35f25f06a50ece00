// A loopback HTTP proxy in front of the S3 test server that injects faults by a deterministic schedule.
// Requests keep their Host header, so SigV4 signatures made for the proxy's address still verify upstream.
//
// Faults:
//   slowdown  503 with an S3 <Code>SlowDown</Code> body (request body drained; nothing reaches upstream)
//   error500  500 with an S3 <Code>InternalError</Code> body (same)
//   reset     forwarded upstream; then the client socket is destroyed mid-response (after the headers and
//             half the body when there is a body, before any byte otherwise)
//   truncate  forwarded upstream; headers with the full Content-Length and half the body are sent, then the
//             connection is closed cleanly (FIN); without a body it behaves like reset
//
// Schedule: rules are tried in order; each counts the requests it matches (method + regexp on the path with
// query) and fires on the first `first` of them, on every `every`-th (every: 2 → 2nd, 4th, …), on the first
// `perUrl` requests for each distinct URL (deterministic even under concurrency), or on all of them when
// none is given. The first rule that fires wins, and later rules do not see that request.

import { createServer, request as httpRequest, Agent } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FaultKind = "slowdown" | "error500" | "reset" | "truncate";

export interface FaultRule {
  fault: FaultKind;
  method?: string;
  match?: RegExp;
  first?: number;
  every?: number;
  perUrl?: number;
}

export interface ProxyLogEntry {
  method: string;
  path: string;
  fault?: FaultKind;
}

export interface FaultProxy {
  url: string;
  log: ProxyLogEntry[];
  /** Replaces the rules and resets their counters and the log. */
  setRules(rules: FaultRule[]): void;
  injected(kind?: FaultKind): number;
  close(): Promise<void>;
}

interface ActiveRule extends FaultRule {
  seen: number;
  seenByUrl: Map<string, number>;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "expect",
  "te",
  "trailer",
]);

export async function startFaultProxy(target: string, rules: FaultRule[] = []): Promise<FaultProxy> {
  const up = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let active: ActiveRule[] = [];
  const log: ProxyLogEntry[] = [];
  const setRules = (r: FaultRule[]): void => {
    active = r.map((x) => ({ ...x, seen: 0, seenByUrl: new Map<string, number>() }));
    log.length = 0;
  };
  setRules(rules);

  const pick = (method: string, path: string): FaultKind | undefined => {
    for (const r of active) {
      if ((r.method !== undefined && r.method !== method) || (r.match !== undefined && !r.match.test(path))) continue;
      r.seen++;
      const byUrl = (r.seenByUrl.get(path) ?? 0) + 1;
      r.seenByUrl.set(path, byUrl);
      const fires =
        r.first !== undefined
          ? r.seen <= r.first
          : r.every !== undefined
            ? r.seen % r.every === 0
            : r.perUrl !== undefined
              ? byUrl <= r.perUrl
              : true;
      if (fires) return r.fault;
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const fault = pick(method, path);
    log.push({ method, path, ...(fault === undefined ? {} : { fault }) });
    if (fault === "slowdown" || fault === "error500") return answerError(req, res, fault);
    forward(req, res, fault);
  });
  server.keepAliveTimeout = 5000;

  const forward = (req: IncomingMessage, res: ServerResponse, fault: FaultKind | undefined): void => {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    const upReq = httpRequest(
      { host: up.hostname, port: up.port, method: req.method, path: req.url, headers, agent },
      (upRes) => {
        const len = Number(upRes.headers["content-length"] ?? "0");
        const outHeaders: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(upRes.headers))
          if (v !== undefined && !HOP_BY_HOP.has(k)) outHeaders[k] = v;
        if (fault === undefined) {
          res.writeHead(upRes.statusCode ?? 502, outHeaders);
          upRes.pipe(res);
          return;
        }
        if (!(len > 1) || req.method === "HEAD") {
          upRes.resume();
          upRes.on("end", () => res.socket?.destroy());
          return;
        }
        res.writeHead(upRes.statusCode ?? 502, outHeaders);
        let budget = Math.floor(len / 2);
        upRes.on("data", (chunk: Buffer) => {
          if (budget <= 0) return;
          const part = chunk.subarray(0, budget);
          budget -= part.length;
          res.write(part);
          if (budget <= 0) {
            upRes.destroy();
            if (fault === "truncate") res.socket?.end();
            else res.socket?.destroy();
          }
        });
      },
    );
    upReq.on("error", () => res.socket?.destroy());
    req.pipe(upReq);
  };

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    setRules,
    injected: (kind) => log.filter((e) => e.fault !== undefined && (kind === undefined || e.fault === kind)).length,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function answerError(req: IncomingMessage, res: ServerResponse, fault: "slowdown" | "error500"): void {
  const [status, code, message] =
    fault === "slowdown"
      ? [503, "SlowDown", "Please reduce your request rate."]
      : [500, "InternalError", "We encountered an internal error. Please try again."];
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`;
  req.resume();
  req.on("end", () => {
    res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
}
