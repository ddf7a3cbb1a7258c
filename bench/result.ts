/** One figure a benchmark measured, printed beside its goal by `npm run bench`. */
export interface BenchResult {
  name: string;
  goal: string;
  measured: string;
  ok: boolean;
}

/** A named benchmark section: measures, and returns its figures. */
export type BenchSection = () => Promise<BenchResult[]>;

/** Times `work` (wall clock) and returns how long it took with its value. */
export async function time<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}
