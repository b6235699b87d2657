import { z } from 'zod';

/*
 * RFC 3339 checked by zod's ISO patterns (already a dependency) before the
 * text reaches `new Date()`, which rolls impossible values over instead of
 * refusing them (Feb 30 becomes Mar 2, 24:00 the next midnight): a failover
 * would then go to a moment the caller never asked for. The patterns know the
 * calendar (leap years included), hours 00–23, minutes and seconds 00–59.
 * A leap second (:60) is refused: JavaScript dates cannot hold one, and EM
 * would have to be sent some other moment in its place.
 */
const dateTime = z.iso.datetime({ offset: true, local: false });
const fullDate = z.iso.date();

/**
 * An RFC 3339 date-time with its offset (`Z` or `±hh:mm`; none is ambiguous
 * across time zones) as a Date, or undefined when the text is not one or names
 * a moment that does not exist. RFC 3339 allows a lower-case `t` and `z`.
 */
export function parseDateTime(text: string): Date | undefined {
  const upper = text.toUpperCase();
  if (!dateTime.safeParse(upper).success) return undefined;
  const date = new Date(upper);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** An RFC 3339 full-date (`2031-01-31`, a day that exists) as its UTC midnight, or undefined. */
export function parseFullDate(text: string): Date | undefined {
  return fullDate.safeParse(text).success ? new Date(`${text}T00:00:00Z`) : undefined;
}
