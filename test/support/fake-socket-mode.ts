import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/** Slack's Socket Mode side: a loopback WebSocket server that sends envelopes and reads acks. */
export interface FakeSocketMode {
  /** the URL `apps.connections.open` should hand out */
  url: string;
  /** resolves once the app has connected and been greeted */
  connected(): Promise<void>;
  /** resolves once the app has connected `count` times in all (reconnections included) */
  connections(count: number): Promise<void>;
  /** drops the app's current connection without a close handshake, as a network failure does */
  drop(): void;
  /** sends an envelope (`slash_commands`, `interactive`, `events_api`) and resolves with the app's ack */
  send(type: string, payload: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts a Socket Mode stand-in on an ephemeral loopback port. */
export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  let socket: WebSocket | null = null;
  const acks = new Map<string, (message: Record<string, unknown>) => void>();
  let connectionCount = 0;
  const connectionWaiters: Array<() => void> = [];
  const connected = new Promise<void>((resolve) => {
    server.on("connection", (ws) => {
      socket = ws;
      connectionCount++;
      ws.on("message", (data) => {
        const message = JSON.parse(String(data)) as Record<string, unknown>;
        const id = String(message.envelope_id ?? "");
        acks.get(id)?.(message);
        acks.delete(id);
      });
      // What Slack sends first on every Socket Mode connection.
      ws.send(
        JSON.stringify({
          type: "hello",
          num_connections: 1,
          debug_info: { host: "fake", approximate_connection_time: 18060 },
          connection_info: { app_id: "A_OPSFEED" },
        }),
      );
      resolve();
      for (const waiter of connectionWaiters.splice(0)) waiter();
    });
  });
  return {
    url: `ws://127.0.0.1:${port}/link`,
    connected: () => connected,
    connections(count) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (connectionCount >= count) resolve();
          else connectionWaiters.push(check);
        };
        check();
      });
    },
    drop() {
      socket?.terminate();
      socket = null;
    },
    send(type, payload) {
      if (!socket) throw new Error("the app has not connected over Socket Mode");
      const envelopeId = randomUUID();
      const acked = new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ack for ${type} envelope`)), 5000);
        acks.set(envelopeId, (message) => {
          clearTimeout(timer);
          resolve(message);
        });
      });
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== "events_api",
          retry_attempt: 0,
          retry_reason: "",
        }),
      );
      return acked;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
