// Public holidays on the same date in most countries that observe them, for
// a warning when a re-assessment falls on one. The practitioner decides:
// Rebalance suggests the next working day and never moves a date by itself.
// Country-specific and movable holidays (Easter, national days) are not
// known here; the practitioner can move any re-assessment by hand.
const FIXED: Record<string, string> = {
  '01-01': "New Year's Day",
  '12-25': 'Christmas Day',
  '12-26': "Boxing Day (St Stephen's Day)",
};

/** The holiday's name when `iso` (YYYY-MM-DD) is one of the fixed-date public holidays, else undefined. */
export function fixedHoliday(iso: string): string | undefined {
  return FIXED[iso.slice(5, 10)];
}

function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

/** The first day after `iso` that is neither a weekend day nor a fixed-date holiday. */
export function nextWorkingDay(iso: string): string {
  let day = addDays(iso, 1);
  for (;;) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !fixedHoliday(day)) return day;
    day = addDays(day, 1);
  }
}
