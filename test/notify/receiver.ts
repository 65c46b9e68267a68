// A real HTTP receiver on 127.0.0.1 (random port) standing in for a robot or generic endpoint.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  /** Path and query as sent, e.g. "/robot/send?access_token=abc&timestamp=…&sign=…". */
  url: string;
  headers: IncomingMessage["headers"];
  /** Raw bytes of the body, to check the exact bytes that were signed. */
  raw: Buffer;
  text: string;
}

export type Responder = (req: Received, res: ServerResponse) => void;

export const answerJson =
  (body: unknown, status = 200): Responder =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };

export async function startReceiver(respond: Responder = answerJson({ errcode: 0, errmsg: "ok" })) {
  const received: Received[] = [];
  let responder = respond;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const r: Received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, raw, text: raw.toString("utf8") };
      received.push(r);
      responder(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    setResponder(r: Responder) {
      responder = r;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
