/*
 * The messages between the parse worker pool and its worker threads: plain data, so they
 * survive the structured clone between threads.
 */
import type { MessageKey, MessageParams } from "../i18n/catalog.js";
import type { ParsedFeed, ParsedItem } from "./types.js";

/** One feed body to parse, from the pool to a worker. */
export interface ParseRequest {
  id: number;
  body: string | Uint8Array;
  feedUrl: string;
  contentType: string | null;
}

/**
 * The pool's go-ahead for the next slice of a request's items. Slices wait for it: a port
 * delivers every message already queued in one go, so forty slices sent at once were one
 * 100 ms task on the main thread instead of forty short ones.
 */
export interface NextSlice {
  id: number;
  kind: "next";
}

/** A worker's answers: ready once loaded; per request, items in slices then done, or an error. */
export type ParseReply =
  | { kind: "ready" }
  | { id: number; kind: "items"; items: ParsedItem[] }
  | { id: number; kind: "done"; feed: ParsedFeed }
  | { id: number; kind: "error"; code: MessageKey; params: MessageParams }
  | { id: number; kind: "failed"; message: string };
