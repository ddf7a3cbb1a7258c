/**
 * The load generator of the ingest-latency benchmark, in a process of its own so that its work
 * costs the measured app nothing: sends signed `/opsfeed help` commands (answered in the ack) to
 * APP_URL at a fixed rate, GETs `/healthz` at another, and times each answer from the moment it
 * was sent. Reads one command a line on stdin: `start <commands/s> <healthz/s>` begins a run,
 * `stop` ends it and prints `result <json>` (the figures of `LatencySummary`).
 */
import { Agent, request } from "node:http";
import { createInterface } from "node:readline";
import { slackSignature } from "../test/support/signed-requests.js";

/** What one run measured, in milliseconds. */
export interface LatencySummary {
  acks: { count: number; errors: number; p50: number; p99: number; max: number };
  healthz: { count: number; errors: number; p50: number; p99: number; max: number };
}

const appUrl = new URL(process.env.APP_URL ?? "http://127.0.0.1:3000");
const secret = process.env.SIGNING_SECRET ?? "";
const responseUrl = process.env.RESPONSE_URL ?? "http://127.0.0.1:9/response";
// Keep-alive, as Slack's own connections are; enough sockets that a slow answer queues nothing.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

interface Samples {
  times: number[];
  errors: number;
}

function send(path: string, method: string, body: string, headers: Record<string, string>) {
  return new Promise<boolean>((resolve) => {
    const req = request(
      { host: appUrl.hostname, port: appUrl.port, path, method, agent, headers },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode === 200));
      },
    );
    req.on("error", () => resolve(false));
    req.end(body);
  });
}

let sequence = 0;
let inFlight = 0;

function command(): Promise<boolean> {
  sequence++;
  const body = new URLSearchParams({
    token: "unused",
    team_id: "T1",
    team_domain: "bench",
    channel_id: "C_BENCH",
    channel_name: "bench",
    user_id: "U_BENCH",
    user_name: "bench",
    command: "/opsfeed",
    text: "help",
    api_app_id: "A_OPSFEED",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: `bench.${process.pid}.${sequence}`,
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  return send("/slack/events", "POST", body, {
    "content-type": "application/x-www-form-urlencoded",
    "content-length": String(Buffer.byteLength(body)),
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(secret, timestamp, body),
  });
}

const healthz = () => send("/healthz", "GET", "", {});

/** Calls `fire` `rate` times a second from now until stopped, recording each answer's time. */
function atRate(rate: number, fire: () => Promise<boolean>, samples: Samples): () => void {
  if (rate <= 0) return () => {};
  const start = performance.now();
  let fired = 0;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    // Open loop: a late tick catches up, so a slow app gets its requests all the same.
    const due = Math.floor(((performance.now() - start) * rate) / 1000);
    for (; fired < due; fired++) {
      const sent = performance.now();
      inFlight++;
      void fire().then((ok) => {
        inFlight--;
        if (ok) samples.times.push(performance.now() - sent);
        else samples.errors++;
      });
    }
    setTimeout(tick, 1);
  };
  tick();
  return () => {
    stopped = true;
  };
}

function summary(samples: Samples) {
  const sorted = [...samples.times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    count: sorted.length,
    errors: samples.errors,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
  };
}

let run: { acks: Samples; health: Samples; stop: () => void } | null = null;

for await (const line of createInterface({ input: process.stdin })) {
  const [verb, commandRate, healthRate] = line.trim().split(/\s+/);
  if (verb === "start") {
    const acks: Samples = { times: [], errors: 0 };
    const health: Samples = { times: [], errors: 0 };
    const stopAcks = atRate(Number(commandRate), command, acks);
    const stopHealth = atRate(Number(healthRate ?? 0), healthz, health);
    run = {
      acks,
      health,
      stop: () => {
        stopAcks();
        stopHealth();
      },
    };
  } else if (verb === "stop" && run) {
    const current = run;
    run = null;
    current.stop();
    // Answers still on their way count (a slow one is what this measures), for up to 30 s.
    const waitUntil = performance.now() + 30_000;
    while (inFlight > 0 && performance.now() < waitUntil) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const result: LatencySummary = {
      acks: summary(current.acks),
      healthz: summary(current.health),
    };
    console.log(`result ${JSON.stringify(result)}`);
  }
}
agent.destroy();
