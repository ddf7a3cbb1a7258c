import type { Leases } from "../delivery/leases.js";
import type { Outbox } from "../delivery/outbox.js";
import type { MessagePayload } from "../delivery/types.js";
import { localDate, zonedTimeToInstant } from "../digest/schedule.js";
import { AppError } from "../errors.js";
import type { Locale } from "../i18n/locale.js";
import type { Logger } from "../logger.js";
import { getAssignment, moveDueDate, recordAssignmentChange } from "../store/assignments.js";
import { type Db, inTransaction } from "../store/database.js";
import { insertReminder, listOpenDueBetween } from "../store/reminders.js";
import { assignmentView } from "./assignments.js";
import { addDays } from "./due-dates.js";
import type { UserDirectory } from "./reading.js";
import type { AssignmentView } from "./types.js";

/** The local time reminders go out at, in the assignee's time zone. */
export const REMINDER_HOUR = 9;

/**
 * Assignments further past their due date than this are not looked at any more: after a long
 * outage nobody is reminded of work from weeks ago.
 */
export const REMINDER_LOOKBACK_DAYS = 14;

/** Which reminder: 1 on the due day, 2 the day after (the last one). */
export type ReminderNumber = 1 | 2;

/** The reminder direct messages, rendered by the Slack layer in the assignee's language. */
export interface ReminderMessages {
  localeOf(userId: string): Promise<Locale>;
  reminder(locale: Locale, assignment: AssignmentView, number: ReminderNumber): MessagePayload;
}

/** What the reminders need. */
export interface ReminderDeps {
  db: Db;
  clock: () => Date;
  directory: UserDirectory;
  messages: ReminderMessages;
  outbox: Outbox;
  leases: Leases;
  logger: Logger;
  /** re-publishes the App Home of people whose assignments changed */
  refreshHomes(userIds: string[]): Promise<void>;
}

/** The idempotency key of a reminder: one message per assignment, due date and number, ever. */
export function reminderKey(assignmentId: number, dueDate: string, number: ReminderNumber) {
  return `reminder:${assignmentId}:${dueDate}:${number}`;
}

/** When a reminder of a due date goes out: 09:00 in `timeZone` on the due day (1) or the next (2). */
export function reminderTime(dueDate: string, number: ReminderNumber, timeZone: string): Date {
  const day = addDays(dueDate, number - 1);
  return zonedTimeToInstant(
    {
      year: Number(day.slice(0, 4)),
      month: Number(day.slice(5, 7)),
      day: Number(day.slice(8, 10)),
      hour: REMINDER_HOUR,
      minute: 0,
    },
    timeZone,
  );
}

/**
 * The reminder due now for a due date set at `setAt`: the latest one whose time has come and
 * had not yet come when the date was set (after downtime only the latest is sent, once).
 */
export function dueReminder(
  dueDate: string,
  setAt: Date,
  now: Date,
  timeZone: string,
): ReminderNumber | null {
  for (const number of [2, 1] as const) {
    const at = reminderTime(dueDate, number, timeZone);
    if (at <= now) return at > setAt ? number : null;
  }
  return null;
}

/** What the reminder buttons did. */
export type SnoozeOutcome =
  | { snoozed: true; assignment: AssignmentView }
  /** the reminder clicked was for an earlier due date: it was snoozed (or moved) already */
  | { snoozed: false; assignment: AssignmentView };

/** Due-date reminders: found every minute, recorded once, sent through the outbox. */
export function createReminderService(deps: ReminderDeps) {
  const { db, outbox } = deps;

  /** The assignment a reminder button names, if the clicking user is its assignee and it is open. */
  const ownOpenAssignment = async (userId: string, assignmentId: number) => {
    const assignment = await assignmentView(db, assignmentId);
    if (!assignment || assignment.assigneeId !== userId) {
      throw new AppError("reading.assignment-not-yours", {});
    }
    if (assignment.status !== "open") {
      throw new AppError("reading.assignment-not-open", { id: assignmentId });
    }
    return assignment;
  };

  /** Records the reminder due for one assignment, if any; its outbox key when recorded now. */
  const recordDue = async (
    row: { id: number; assignee_id: string; due_date: string | null },
    setAt: string,
    now: Date,
  ): Promise<string | null> => {
    const dueDate = row.due_date;
    if (!dueDate) return null;
    const timeZone = await deps.directory.timeZoneOf(row.assignee_id);
    const number = dueReminder(dueDate, new Date(setAt), now, timeZone);
    if (number === null) return null;
    const key = reminderKey(row.id, dueDate, number);
    const locale = await deps.messages.localeOf(row.assignee_id);
    return inTransaction(db, async (trx) => {
      // Still open with the same date: done, cancelled or snoozed in the meantime reminds nobody.
      const current = await getAssignment(trx, row.id);
      if (current?.status !== "open" || current.due_date !== dueDate) return null;
      const at = now.toISOString();
      const recorded = await insertReminder(
        trx,
        { assignmentId: row.id, dueDate, number, outboxKey: key },
        at,
      );
      if (!recorded) return null;
      const assignment = await assignmentView(trx, row.id);
      if (!assignment) return null;
      await outbox.enqueue(trx, [
        {
          key,
          kind: "dm",
          channelId: null,
          userId: row.assignee_id,
          threadTs: null,
          payload: deps.messages.reminder(locale, assignment, number),
        },
      ]);
      return key;
    });
  };

  return {
    /**
     * Finds the reminders due now and records each, once, with its outbox message; then
     * delivers them. Several processes may run it at once: one holds the lease, and a
     * reminder is recorded at most once whatever happens. How many were recorded now.
     */
    async sendDue(): Promise<number> {
      const leased = await deps.leases.run("reminders", async () => {
        const now = deps.clock();
        const today = now.toISOString().slice(0, 10);
        // Local dates run up to a day either side of UTC's.
        const rows = await listOpenDueBetween(
          db,
          addDays(today, -REMINDER_LOOKBACK_DAYS),
          addDays(today, 1),
        );
        const keys: string[] = [];
        for (const row of rows) {
          try {
            const key = await recordDue(row, row.due_set_at ?? row.updated_at, now);
            if (key) keys.push(key);
          } catch (error) {
            deps.logger.warn("could not record a reminder", { assignment: row.id, error });
          }
        }
        // Counted as sent by the outbox (opsfeed_reminders_sent_total), on whichever attempt.
        for (const key of keys) await outbox.deliver(key);
        return keys.length;
      });
      return leased.held ? leased.value : 0;
    },

    /** The assignee's Done on a reminder: the assignment, checked to be theirs and open. */
    ownOpenAssignment,

    /**
     * Snoozes an assignment by a day (its assignee only): the due date moves one day on, and
     * its reminders start again for the new date. A reminder for an older due date than the
     * current one changes nothing (it was snoozed from there already).
     */
    async snooze(
      userId: string,
      assignmentId: number,
      fromDueDate: string,
    ): Promise<SnoozeOutcome> {
      const assignment = await ownOpenAssignment(userId, assignmentId);
      if (!assignment.dueDate || assignment.dueDate !== fromDueDate) {
        return { snoozed: false, assignment };
      }
      const dueDate = addDays(assignment.dueDate, 1);
      const at = deps.clock().toISOString();
      const moved = await inTransaction(db, async (trx) => {
        if (!(await moveDueDate(trx, assignmentId, dueDate, at))) return false;
        await recordAssignmentChange(trx, { assignmentId, actorId: userId, action: "snoozed" }, at);
        return true;
      });
      if (!moved) throw new AppError("reading.assignment-not-open", { id: assignmentId });
      await deps.refreshHomes([assignment.assigneeId, assignment.assignerId]);
      return { snoozed: true, assignment: { ...assignment, dueDate } };
    },

    /** The date today for the user, in their own time zone. */
    async todayOf(userId: string): Promise<string> {
      return localDate(deps.clock(), await deps.directory.timeZoneOf(userId));
    },
  };
}

/** The reminders, as the composition root builds them. */
export type ReminderService = ReturnType<typeof createReminderService>;
