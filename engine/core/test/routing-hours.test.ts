/** Business hours and holidays per queue: pure arithmetic over IANA time zones, across DST changes. */
import { BusinessHours, describeOpening, isOpenAt, nextOpening, outOfHoursNotice, QueueConfig } from '@baton/schemas';

const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, from: '09:00', to: '17:00' }));
const paris = BusinessHours.parse({ timeZone: 'Europe/Paris', windows: weekdays, holidays: ['2025-12-25'] });
const newYork = BusinessHours.parse({ timeZone: 'America/New_York', windows: weekdays });

describe('isOpenAt', () => {
  it('is open inside a window of the local time, closed outside', () => {
    // Monday 2025-01-06 08:30 UTC is 09:30 in Paris (UTC+1 in winter).
    expect(isOpenAt(paris, Date.UTC(2025, 0, 6, 8, 30))).toBe(true);
    expect(isOpenAt(paris, Date.UTC(2025, 0, 6, 7, 59))).toBe(false);
    // 17:00 is the end of the window: closed.
    expect(isOpenAt(paris, Date.UTC(2025, 0, 6, 16, 0))).toBe(false);
    // Saturday.
    expect(isOpenAt(paris, Date.UTC(2025, 0, 11, 10, 0))).toBe(false);
  });

  it('is closed on a holiday even inside a window', () => {
    // Thursday 2025-12-25 10:00 Paris.
    expect(isOpenAt(paris, Date.UTC(2025, 11, 25, 9, 0))).toBe(false);
    expect(isOpenAt(paris, Date.UTC(2025, 11, 26, 9, 0))).toBe(true);
  });

  it('has no hours: always open', () => {
    expect(isOpenAt(undefined, Date.UTC(2025, 0, 11, 3, 0))).toBe(true);
  });
});

describe('nextOpening', () => {
  it('opens Monday 09:00 local after a Friday evening', () => {
    const friday = Date.UTC(2025, 0, 10, 18, 0); // 19:00 Paris
    expect(new Date(nextOpening(paris, friday) as number).toISOString()).toBe('2025-01-13T08:00:00.000Z');
  });

  it('follows the spring-forward change: the same 09:00 local is an hour earlier in UTC', () => {
    // Paris moves to UTC+2 on Sunday 2025-03-30. Saturday evening → Monday 09:00 CEST = 07:00 UTC.
    expect(new Date(nextOpening(paris, Date.UTC(2025, 2, 29, 20, 0)) as number).toISOString()).toBe(
      '2025-03-31T07:00:00.000Z',
    );
    // New York moves on 2025-03-09: Monday 09:00 EDT = 13:00 UTC (it was 14:00 UTC the week before).
    expect(new Date(nextOpening(newYork, Date.UTC(2025, 2, 8, 12, 0)) as number).toISOString()).toBe(
      '2025-03-10T13:00:00.000Z',
    );
    expect(new Date(nextOpening(newYork, Date.UTC(2025, 2, 1, 12, 0)) as number).toISOString()).toBe(
      '2025-03-03T14:00:00.000Z',
    );
  });

  it('follows the fall-back change', () => {
    // Paris returns to UTC+1 on Sunday 2025-10-26: Monday 09:00 CET = 08:00 UTC.
    expect(new Date(nextOpening(paris, Date.UTC(2025, 9, 25, 20, 0)) as number).toISOString()).toBe(
      '2025-10-27T08:00:00.000Z',
    );
  });

  it('skips holidays', () => {
    // Wednesday 24 December after hours → Thursday 25 is a holiday → Friday 26 at 09:00 Paris.
    expect(new Date(nextOpening(paris, Date.UTC(2025, 11, 24, 17, 0)) as number).toISOString()).toBe(
      '2025-12-26T08:00:00.000Z',
    );
  });

  it('is the moment itself when open, and null when it never opens within a year', () => {
    const open = Date.UTC(2025, 0, 6, 9, 0);
    expect(nextOpening(paris, open)).toBe(open);
    const closedDays = Array.from({ length: 370 }, (_, i) =>
      new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10),
    );
    expect(nextOpening({ ...paris, holidays: closedDays }, Date.UTC(2025, 0, 1))).toBeNull();
  });

  it('finds windows that start on the half hour and overnight-adjacent windows', () => {
    const late = BusinessHours.parse({
      timeZone: 'Asia/Kolkata',
      windows: [
        { day: 2, from: '00:00', to: '02:30' },
        { day: 2, from: '13:30', to: '14:00' },
      ],
    });
    // Monday 2025-01-06 20:00 UTC is Tuesday 01:30 IST: open.
    expect(isOpenAt(late, Date.UTC(2025, 0, 6, 20, 0))).toBe(true);
    // Tuesday 03:00 IST → Tuesday 13:30 IST = 08:00 UTC.
    expect(new Date(nextOpening(late, Date.UTC(2025, 0, 6, 21, 30)) as number).toISOString()).toBe(
      '2025-01-07T08:00:00.000Z',
    );
  });
});

describe('the out-of-hours message', () => {
  const queue = QueueConfig.parse({ id: 'billing', name: 'Billing', hours: paris });

  it('tells when the team is back, in the queue time zone', () => {
    const notice = outOfHoursNotice(queue, Date.UTC(2025, 0, 10, 18, 0));
    expect(notice).toEqual({
      message: "Our team is back Monday at 09:00 (Europe/Paris); we'll reply then.",
      opensAt: Date.UTC(2025, 0, 13, 8, 0),
    });
  });

  it('says tomorrow and today when they are', () => {
    expect(describeOpening(paris, Date.UTC(2025, 0, 7, 8, 0), Date.UTC(2025, 0, 6, 20, 0))).toBe(
      'tomorrow at 09:00 (Europe/Paris)',
    );
    expect(describeOpening(paris, Date.UTC(2025, 0, 7, 8, 0), Date.UTC(2025, 0, 7, 5, 0))).toBe(
      'today at 09:00 (Europe/Paris)',
    );
  });

  it('is null while the queue is open, and takes a configured text', () => {
    expect(outOfHoursNotice(queue, Date.UTC(2025, 0, 6, 9, 0))).toBeNull();
    const custom = QueueConfig.parse({ id: 'vip', name: 'VIP', hours: paris, outOfHoursMessage: 'Back {{next}}.' });
    expect(outOfHoursNotice(custom, Date.UTC(2025, 0, 11, 9, 0))?.message).toBe('Back Monday at 09:00 (Europe/Paris).');
  });
});

describe('validation', () => {
  it('names the field of a bad time zone, window or holiday', () => {
    const result = QueueConfig.safeParse({
      id: 'q',
      name: 'Q',
      hours: { timeZone: 'Mars/Olympus', windows: [{ day: 1, from: '18:00', to: '09:00' }], holidays: ['25-12-2025'] },
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['hours.timeZone', 'hours.windows.0.to', 'hours.holidays.0']));
  });
});
