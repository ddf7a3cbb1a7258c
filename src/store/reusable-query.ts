import { type Compilable, CompiledQuery } from "kysely";
import { type Db, dialectOf } from "./database.js";

/** The values a reusable query is run with: scalars only (a list would change its SQL). */
export type QueryValues = Record<string, string | number | null>;

/** A `shapeOf` for queries whose SQL changes only with which values are null. */
export function nullShape(values: QueryValues): string {
  return Object.keys(values)
    .filter((name) => values[name] === null)
    .join(",");
}

/** Where each of a compiled query's parameters comes from: a value by name, or a constant. */
type Slot = { name: string } | { constant: unknown };

interface Plan {
  sql: string;
  slots: Slot[];
}

/** What every stand-in starts with: no value of opsfeed's does. */
const MARKER_PREFIX = "\u0000opsfeed-value:";

/** Stands for the value `name` while the query is compiled; never a value of its own. */
const marker = (name: string) => `${MARKER_PREFIX}${name}\u0000`;

/**
 * A query kysely builds and compiles once per dialect and shape, then runs with each call's
 * values bound in: building and compiling the digest's candidate query cost more than a
 * quarter of running it. `build` is called with stand-ins for the values (strings, whatever
 * their type), so it must pass them to kysely as values, never read them; `shapeOf` names
 * what does change the SQL (a value being null, say), and null values are passed as null.
 */
export function reusableQuery<Values extends QueryValues, Row>(
  build: (db: Db, values: Values) => Compilable<Row>,
  shapeOf: (values: Values) => string = () => "",
): (db: Db, values: Values) => Promise<Row[]> {
  const plans = new Map<string, Plan>();
  const planFor = (db: Db, values: Values): Plan => {
    const key = `${dialectOf(db)}:${shapeOf(values)}`;
    const known = plans.get(key);
    if (known) return known;
    const stand = Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, value === null ? null : marker(name)]),
    ) as Values;
    const byMarker = new Map(Object.keys(values).map((name) => [marker(name), name]));
    const compiled = build(db, stand).compile();
    if (compiled.sql.includes(MARKER_PREFIX)) {
      // A value written into the SQL itself would be the stand-in for every later call.
      throw new Error(`a reusable query wrote a value into its SQL: ${compiled.sql}`);
    }
    const plan: Plan = {
      sql: compiled.sql,
      slots: compiled.parameters.map((parameter) => {
        const name = typeof parameter === "string" ? byMarker.get(parameter) : undefined;
        return name === undefined ? { constant: parameter } : { name };
      }),
    };
    plans.set(key, plan);
    return plan;
  };
  return async (db, values) => {
    const plan = planFor(db, values);
    const parameters = plan.slots.map((slot) =>
      "name" in slot ? values[slot.name] : slot.constant,
    );
    const result = await db.executeQuery<Row>(CompiledQuery.raw(plan.sql, parameters));
    return result.rows;
  };
}

/** Where a parameter of a rows query comes from: row `row`'s column, a value, or a constant. */
type RowSlot = { row: number; column: string } | Slot;

/**
 * Like `reusableQuery`, for statements over a list of rows (a multi-row insert or upsert, an
 * `in` list): compiled once per dialect and number of rows, then run with each call's rows
 * and values. Building and compiling a 30-row insert in kysely cost more than SQLite's running
 * it. Every row must have the same columns; nulls are bound like any other value, so `build`
 * may only pass row values where a null does not change the SQL (insert values, `in` lists).
 */
export function reusableRowsQuery<RowValues extends QueryValues, Values extends QueryValues, Out>(
  build: (db: Db, rows: RowValues[], values: Values) => Compilable<Out>,
): (db: Db, rows: readonly RowValues[], values: Values) => Promise<Out[]> {
  const plans = new Map<string, { sql: string; slots: RowSlot[] }>();
  const planFor = (db: Db, rows: readonly RowValues[], values: Values) => {
    const key = `${dialectOf(db)}:${rows.length}`;
    const known = plans.get(key);
    if (known) return known;
    const byMarker = new Map<string, RowSlot>();
    const standRows = rows.map(
      (row, index) =>
        Object.fromEntries(
          Object.keys(row).map((column) => {
            const name = marker(`${index}.${column}`);
            byMarker.set(name, { row: index, column });
            return [column, name];
          }),
        ) as RowValues,
    );
    const standValues = Object.fromEntries(
      Object.keys(values).map((name) => {
        byMarker.set(marker(name), { name });
        return [name, marker(name)];
      }),
    ) as Values;
    const compiled = build(db, standRows, standValues).compile();
    if (compiled.sql.includes(MARKER_PREFIX)) {
      throw new Error(`a reusable query wrote a value into its SQL: ${compiled.sql}`);
    }
    const plan = {
      sql: compiled.sql,
      slots: compiled.parameters.map(
        (parameter): RowSlot =>
          (typeof parameter === "string" ? byMarker.get(parameter) : undefined) ?? {
            constant: parameter,
          },
      ),
    };
    plans.set(key, plan);
    return plan;
  };
  return async (db, rows, values) => {
    const plan = planFor(db, rows, values);
    const parameters = plan.slots.map((slot) =>
      "row" in slot
        ? (rows[slot.row] as RowValues)[slot.column]
        : "name" in slot
          ? values[slot.name]
          : slot.constant,
    );
    const result = await db.executeQuery<Out>(CompiledQuery.raw(plan.sql, parameters));
    return result.rows;
  };
}
