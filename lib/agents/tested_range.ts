/**
 * The agent versions a release of aimax was tested with, as a range, and
 * what to tell a user whose agent is outside it. A version newer than the
 * newest tested is not a reason to downgrade: the advice is to check it.
 *
 * @module
 */

/**
 * The oldest and newest agent versions the suite passed on (screens,
 * hooks, records).
 *
 * @example
 * ```ts
 * import type { TestedRange } from "./tested_range.ts";
 * const range: TestedRange = { oldest: "2.1.197", newest: "2.1.332" };
 * ```
 */
export interface TestedRange {
  /** The oldest version tested, e.g. `2.1.197`. */
  readonly oldest: string;
  /** The newest version tested, e.g. `2.1.332`. */
  readonly newest: string;
}

/**
 * Where a version lies against a {@linkcode TestedRange}.
 *
 * @example
 * ```ts
 * import type { VersionPlace } from "./tested_range.ts";
 * const place: VersionPlace = "newer";
 * ```
 */
export type VersionPlace = "older" | "tested" | "newer";

/** The numbers of a version (`2.1.332` → 2, 1, 332; a suffix is ignored). */
function numbers(version: string): number[] {
  const core = version.trim().replace(/^v/, "").split(/[-+]/)[0];
  return core.split(".").map((part) => {
    const n = Number.parseInt(part, 10);
    return Number.isNaN(n) ? 0 : n;
  });
}

/**
 * Compares two versions number by number (`2.1.10` is after `2.1.9`; a
 * missing part counts as 0; a pre-release suffix is ignored).
 *
 * @example
 * ```ts
 * import { compareVersions } from "./tested_range.ts";
 * console.log(compareVersions("2.1.10", "2.1.9")); // 1
 * ```
 *
 * @param a a version
 * @param b another version
 * @returns negative when `a` is older, 0 when equal, positive when newer
 */
export function compareVersions(a: string, b: string): number {
  const x = numbers(a);
  const y = numbers(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * Whether `version` is older than the range, within it, or newer.
 *
 * @example
 * ```ts
 * import { versionPlace } from "./tested_range.ts";
 * console.log(versionPlace("2.1.400", { oldest: "2.1.197", newest: "2.1.332" })); // newer
 * ```
 *
 * @param version the running agent's version
 * @param range the tested range
 */
export function versionPlace(
  version: string,
  range: TestedRange,
): VersionPlace {
  if (compareVersions(version, range.oldest) < 0) return "older";
  if (compareVersions(version, range.newest) > 0) return "newer";
  return "tested";
}

/**
 * `2.1.197–2.1.332`, or one version when both ends are the same.
 *
 * @example
 * ```ts
 * import { formatTestedRange } from "./tested_range.ts";
 * console.log(formatTestedRange({ oldest: "0.169.0", newest: "0.171.0" }));
 * ```
 *
 * @param range the tested range
 */
export function formatTestedRange(range: TestedRange): string {
  return range.oldest === range.newest
    ? range.oldest
    : `${range.oldest}–${range.newest}`;
}

/**
 * What a version outside the range means and what to do, or `undefined`
 * within it. Never advises going below the running version.
 *
 * @example
 * ```ts
 * import { untestedVersion } from "./tested_range.ts";
 * const note = untestedVersion("2.1.400", { oldest: "2.1.197", newest: "2.1.332" });
 * console.log(note?.what, note?.advice);
 * ```
 *
 * @param version the running agent's version
 * @param range the tested range
 * @returns `what` (how it relates to the range) and `advice`
 */
export function untestedVersion(
  version: string,
  range: TestedRange,
):
  | { place: Exclude<VersionPlace, "tested">; what: string; advice: string }
  | undefined {
  const place = versionPlace(version, range);
  if (place === "older") {
    return {
      place,
      what: `older than the oldest tested (${range.oldest})`,
      advice:
        `screens and hooks may differ; upgrade to at least ${range.oldest}`,
    };
  }
  if (place === "newer") {
    return {
      place,
      what: `newer than the newest tested (${range.newest})`,
      advice:
        "screens and hooks may differ; `aimax doctor` checks them, and `deno task compat` in a checkout of aimax runs its end-to-end tests on the latest release",
    };
  }
  return undefined;
}
