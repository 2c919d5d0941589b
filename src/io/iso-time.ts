/** Dates and instants from binary formats as ISO 8601 text, the same from Parquet and Arrow. */

const DAY_MS = 86_400_000

/** An instant in UTC, millisecond precision (like JS Dates); the raw number when outside Date's range. */
export function isoTimestamp(ms: number): string {
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString()
}

/** A calendar date (days since 1970-01-01) as YYYY-MM-DD. */
export function isoDate(days: number): string {
  const iso = isoTimestamp(days * DAY_MS)
  return iso.includes('T') ? iso.slice(0, iso.indexOf('T')) : String(days)
}

/** Floor division for BigInt (which truncates toward zero), so instants before 1970 round down too. */
export function floorDiv(a: bigint, b: bigint): number {
  const q = a / b
  return Number(a % b < 0n ? q - 1n : q)
}
