import { createServer, type IncomingMessage } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";

/** A loopback HTTP proxy that only tunnels (CONNECT), as company proxies do for https. */
export interface ConnectProxy {
  url: string;
  /** every CONNECT target it was asked for, `host:port`, in order */
  connects: string[];
  /** the Proxy-Authorization headers it received */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

/** Starts a CONNECT proxy on an ephemeral loopback port. */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const connects: string[] = [];
  const authorizations: Array<string | undefined> = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    // Plain requests (absolute-form GET) are refused: everything must be tunnelled.
    res.writeHead(405).end();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? "";
    connects.push(target);
    authorizations.push(req.headers["proxy-authorization"]);
    const match = /^\[?([^\]]+)\]?:(\d+)$/.exec(target);
    if (!match) {
      client.end("HTTP/1.1 400 Bad Request\r\n\r\n");
      return;
    }
    const upstream = connect(Number(match[2]), match[1] as string, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
