/**
 * Routing configuration: queues (teams) with their business hours, SLAs and assignment policy, and
 * the agents who work them. Stored in MongoDB (engine/store/src/routing.ts), edited through
 * /api/queues and /api/agents, read by the routing activities (workers/worker/src/activities/routing.ts).
 * The business-hours arithmetic is pure (Intl only), so it is tested across DST and holidays.
 */
import { z } from 'zod';
import { Id } from './common';

export const TicketPriority = z.enum(['low', 'normal', 'high', 'urgent']);
export type TicketPriority = z.infer<typeof TicketPriority>;
export const priorityOrder: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

/** The next priority up (urgent stays urgent). */
export function raisedPriority(priority: TicketPriority): TicketPriority {
  const index = priorityOrder.indexOf(priority);
  return priorityOrder[Math.min(priorityOrder.length - 1, index + 1)] as TicketPriority;
}

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day as HH:MM (24:00 ends the day)');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** One opening window on a weekday (0 = Sunday … 6 = Saturday), local time of the queue's time zone. */
export const HoursWindow = z
  .object({ day: z.number().int().min(0).max(6), from: Clock, to: Clock })
  .strict()
  .refine((window) => window.from < window.to, { message: '"from" must be before "to"', path: ['to'] });
export type HoursWindow = z.infer<typeof HoursWindow>;

export const BusinessHours = z
  .object({
    /** IANA time zone, e.g. "Europe/Paris". */
    timeZone: z.string().min(1).refine(isTimeZone, { message: 'an IANA time zone such as "Europe/Paris"' }),
    windows: z.array(HoursWindow).min(1, 'give at least one opening window').max(50),
    /** Whole days closed, local dates. */
    holidays: z.array(IsoDate).max(400).default([]),
  })
  .strict();
export type BusinessHours = z.infer<typeof BusinessHours>;

/** SLA targets in minutes, per priority; a priority without a target has no timer. */
const MinutesByPriority = z.partialRecord(
  TicketPriority,
  z
    .number()
    .int()
    .positive()
    .max(60 * 24 * 365),
);

export const QueueSla = z
  .object({
    firstResponseMinutes: MinutesByPriority.default({}),
    resolutionMinutes: MinutesByPriority.default({}),
    /** Share of the target after which the ticket is escalated (0.8 = at 80 %). */
    warnAt: z.number().gt(0).lt(1).default(0.8),
    /** What the escalation does: raise the priority one step, and/or move the ticket to the overflow queue. */
    raisePriority: z.boolean().default(true),
    overflowQueue: Id.optional(),
  })
  .strict();
export type QueueSla = z.infer<typeof QueueSla>;

export const QueueConfig = z
  .object({
    id: Id,
    name: z.string().min(1).max(200),
    /** How an available agent with the skills is chosen. */
    assignment: z.enum(['least_loaded', 'round_robin']).default('least_loaded'),
    hours: BusinessHours.optional(),
    /** Told out of hours; `{{next}}` is the next opening, e.g. "Monday at 09:00 (Europe/Paris)". */
    outOfHoursMessage: z.string().max(1000).default("Our team is back {{next}}; we'll reply then."),
    sla: QueueSla.optional(),
  })
  .strict();
export type QueueConfig = z.infer<typeof QueueConfig>;
export const QueueConfigBody = QueueConfig.omit({ id: true });

export const RoutingAgent = z
  .object({
    id: Id,
    name: z.string().min(1).max(200),
    skills: z.array(z.string().min(1).max(50)).max(50).default([]),
    queues: z.array(Id).max(50).default([]),
    available: z.boolean().default(true),
    /** How many tickets the agent holds at once. */
    capacity: z.number().int().min(0).max(100).default(5),
  })
  .strict();
export type RoutingAgent = z.infer<typeof RoutingAgent>;
export const RoutingAgentBody = RoutingAgent.omit({ id: true });

// ------------------------------------------------------------ business hours

const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface LocalTime {
  date: string;
  day: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function localTime(at: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(at))) parts[part.type] = part.value;
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday ?? '');
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    day,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function clockMinutes(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

/** Whether the queue is open at `at` (epoch ms). No hours means always open. */
export function isOpenAt(hours: BusinessHours | undefined, at: number): boolean {
  if (!hours) return true;
  const local = localTime(at, hours.timeZone);
  if (hours.holidays.includes(local.date)) return false;
  return hours.windows.some(
    (window) =>
      window.day === local.day && local.minutes >= clockMinutes(window.from) && local.minutes < clockMinutes(window.to),
  );
}

/**
 * The next moment the queue opens at or after `at`, or null when it never does within a year
 * (only holidays left). Walks minute boundaries a window can start on, so DST shifts (a local
 * time that does not exist or exists twice) are resolved by the time zone itself.
 */
export function nextOpening(hours: BusinessHours | undefined, at: number): number | null {
  if (!hours || isOpenAt(hours, at)) return at;
  const minute = 60_000;
  // Start of the next whole minute, then hop to each candidate opening minute.
  let t = Math.ceil(at / minute) * minute;
  const horizon = at + 366 * 24 * 60 * minute;
  const starts = new Set(hours.windows.map((window) => clockMinutes(window.from)));
  while (t <= horizon) {
    const local = localTime(t, hours.timeZone);
    if (!hours.holidays.includes(local.date) && isOpenAt(hours, t)) return t;
    // Jump to the next candidate start, at most an hour at a time: a DST change shifts the local
    // clock by up to an hour, and a longer hop could leap over an opening.
    const later = [...starts].filter((start) => start > local.minutes).sort((a, b) => a - b)[0];
    const toMidnight = 24 * 60 - local.minutes;
    const step = Math.min(60, later !== undefined ? later - local.minutes : toMidnight, toMidnight);
    t += Math.max(1, step) * minute;
  }
  return null;
}

/** "Monday at 09:00 (Europe/Paris)", or "today at 14:00 (…)" / "tomorrow at …" relative to `from`. */
export function describeOpening(hours: BusinessHours, opening: number, from: number): string {
  const when = localTime(opening, hours.timeZone);
  const now = localTime(from, hours.timeZone);
  const clock = `${String(Math.floor(when.minutes / 60)).padStart(2, '0')}:${String(when.minutes % 60).padStart(2, '0')}`;
  const dayDistance = Math.round(
    (Date.parse(`${when.date}T00:00:00Z`) - Date.parse(`${now.date}T00:00:00Z`)) / 86_400_000,
  );
  let day: string;
  if (dayDistance === 0) day = 'today';
  else if (dayDistance === 1) day = 'tomorrow';
  else if (dayDistance < 7) day = weekdayNames[when.day] as string;
  else day = `on ${when.date}`;
  return `${day} at ${clock} (${hours.timeZone})`;
}

/** What the customer is told when the queue is closed at `at`; null when it is open. */
export function outOfHoursNotice(
  queue: Pick<QueueConfig, 'hours' | 'outOfHoursMessage'>,
  at: number,
): { message: string; opensAt: number | null } | null {
  if (!queue.hours || isOpenAt(queue.hours, at)) return null;
  const opensAt = nextOpening(queue.hours, at);
  const next = opensAt === null ? 'as soon as we can' : describeOpening(queue.hours, opensAt, at);
  return { message: queue.outOfHoursMessage.replaceAll('{{next}}', next), opensAt };
}
