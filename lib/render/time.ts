/**
 * Times for people: how long ago (`3m ago`) and how long (`1.2s`).
 *
 * @module
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago `at` was, seen at `now`: `just now`, `12s ago`, `3m ago`,
 * `5h ago`, `2d ago`; `-` for no time or one that does not parse; a time
 * ahead of `now` (clock skew) counts as `just now`.
 *
 * @example
 * ```ts
 * import { relativeTime } from "./time.ts";
 * const now = Date.parse("2026-01-01T12:00:00Z");
 * relativeTime("2026-01-01T11:57:00Z", { now }); // "3m ago"
 * ```
 * @param at an ISO time, or `null`
 * @param options `now` in ms since epoch (default: the clock)
 */
export function relativeTime(
  at: string | null | undefined,
  options: { now?: number } = {},
): string {
  const then = at ? Date.parse(at) : NaN;
  if (Number.isNaN(then)) return "-";
  const ago = (options.now ?? Date.now()) - then;
  if (ago < 5_000) return "just now";
  if (ago < MINUTE) return `${Math.floor(ago / 1000)}s ago`;
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)}m ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)}h ago`;
  return `${Math.floor(ago / DAY)}d ago`;
}

/**
 * A duration, short: `88ms`, `4.2s`, `3m 05s`, `2h 10m`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./time.ts";
 * formatDuration(4_200); // "4.2s"
 * ```
 * @param ms milliseconds
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < MINUTE) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const seconds = Math.floor(ms / 1000);
  if (ms < HOUR) {
    return `${Math.floor(seconds / 60)}m ${
      String(seconds % 60).padStart(2, "0")
    }s`;
  }
  const minutes = Math.floor(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${
    String(minutes % 60).padStart(2, "0")
  }m`;
}
