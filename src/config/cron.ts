import { validateDetailed } from "node-cron";

/** Each cron field in words, with the values it takes. */
const FIELDS: Record<string, { name: string; range: string }> = {
  second: { name: "second", range: "0-59" },
  minute: { name: "minute", range: "0-59" },
  hour: { name: "hour", range: "0-23" },
  dayOfMonth: { name: "day of month", range: "1-31" },
  month: { name: "month", range: "1-12 or jan-dec" },
  dayOfWeek: { name: "day of week", range: "0-7 (0 and 7 are Sunday) or sun-sat" },
};

const LAYOUT = "minute hour day-of-month month day-of-week, optionally led by seconds";

/**
 * What is wrong with a cron expression, naming the field and the values it takes, or null
 * when node-cron accepts it. ("61 * * * *": minute "61" is out of 0-59, not a field count.)
 */
export function describeCronProblem(expression: string, example = "*/10 * * * *"): string | null {
  const result = validateDetailed(expression);
  if (result.valid) return null;
  const first = result.errors[0];
  if (!first) return `expected a cron expression (${LAYOUT}), like "${example}"`;
  const field = FIELDS[first.field];
  if (!field) {
    const count = /got (\d+)/.exec(first.message)?.[1];
    return count
      ? `expected 5 fields (${LAYOUT}), like "${example}", but there are ${count}`
      : `expected a cron expression (${LAYOUT}), like "${example}": ${first.message}`;
  }
  if (/impossible/.test(first.message)) {
    return `day of month "${first.value}" never occurs in the months given`;
  }
  return `${field.name} "${first.value}" is not valid: expected ${field.range}, *, */N, a-b or a list of them (fields: ${LAYOUT})`;
}
