// A real HTTP server on 127.0.0.1 (random port) for the feed tests: no fetch mocks anywhere.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export async function startServer(routes: Record<string, Handler>) {
  const sockets = new Set<Socket>();
  const hits: { path: string; headers: http.IncomingHttpHeaders }[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    hits.push({ path, headers: req.headers });
    const handler = routes[path];
    if (handler) handler(req, res);
    else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hits,
    url: (path: string, host = "127.0.0.1") => `http://${host}:${port}${path}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startServer>>;

export const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

export const serve =
  (body: Buffer | string, contentType: string, status = 200, extra: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { "content-type": contentType, ...extra });
    res.end(body);
  };

export const redirect =
  (location: string, status = 302): Handler =>
  (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
