/**
 * Turns of the event loop for work that holds the main thread for milliseconds (parsing a feed
 * inline): one holder per turn. Sixteen feeds answered at once would otherwise each be parsed
 * in the same poll phase, back to back, while a Slack request that arrived with them waits for
 * all sixteen; here each waits for a check phase of its own, and the loop reads sockets between.
 */
let lastTurn: Promise<void> = Promise.resolve();

/** Resolves in a later turn of the event loop than every earlier caller's turn. */
export function nextTurn(): Promise<void> {
  const turn = lastTurn.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  lastTurn = turn;
  return turn;
}
