import type { IncomingMessage, ServerResponse } from "node:http";
import type { AckFn, Context } from "@slack/bolt";

/** The context key under which a request's HTTP response rides (HTTP receiver only). */
const RESPONSE_KEY = "opsfeedHttpResponse";

/** Each request's response, from the receiver's request listener to the ack that answers it. */
const responses = new WeakMap<IncomingMessage, ServerResponse>();

/** Notes the response a request will be answered on; called by the HTTP receiver's listener. */
export function rememberResponse(request: IncomingMessage, response: ServerResponse): void {
  responses.set(request, response);
}

/** The receiver's custom properties: the request's response, so an ack can set its header. */
export function responseProperties(request: IncomingMessage): Record<string, unknown> {
  const response = responses.get(request);
  return response ? { [RESPONSE_KEY]: response } : {};
}

/** A reply serialized once, for an ack that sends the same body to many requests. */
export interface SerializedReply<T> {
  body: T;
  json: string;
}

/** `body` with its JSON, made once and reused for every ack that answers with it. */
export function serializedReply<T>(body: T): SerializedReply<T> {
  return { body, json: JSON.stringify(body) };
}

/**
 * Acks with a reply serialized beforehand. Over HTTP the JSON is written as it is (Bolt would
 * serialize the object again on every request, a seventh of a help command's time); Bolt sends
 * a string without a content type, so it is set here first. In Socket Mode, the object.
 */
export async function ackSerialized<T>(
  ack: AckFn<T>,
  context: Context,
  reply: SerializedReply<T>,
): Promise<void> {
  const response = context[RESPONSE_KEY] as ServerResponse | undefined;
  if (response === undefined || response.headersSent) {
    await ack(reply.body);
    return;
  }
  response.setHeader("content-type", "application/json");
  await (ack as unknown as AckFn<string>)(reply.json);
}
