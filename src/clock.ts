/**
 * The clock port, so "the last complete week" is testable. Production uses `systemClock`.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(instant: string | Date): Clock {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) throw new Error(`Not an instant: ${String(instant)}`);
  return { now: () => new Date(at) };
}
