/** A clock tests set and move by hand, so time-dependent behaviour is deterministic. */
export interface FakeClock {
  (): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

/** Creates a frozen clock at `iso`. */
export function fakeClock(iso = "2026-11-25T00:00:00.000Z"): FakeClock {
  let now = new Date(iso).getTime();
  const clock = (() => new Date(now)) as FakeClock;
  clock.set = (next) => {
    now = new Date(next).getTime();
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}
