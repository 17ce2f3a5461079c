import assert from "node:assert/strict";
import {
  compareVersions,
  formatTestedRange,
  untestedVersion,
  versionPlace,
} from "../../lib/agents/tested_range.ts";

const CLAUDE = { oldest: "2.1.197", newest: "2.1.332" };

Deno.test("tested range: versions compare number by number, not as text", () => {
  assert.equal(compareVersions("2.1.10", "2.1.9"), 1);
  assert.equal(compareVersions("2.1.9", "2.1.10"), -1);
  assert.equal(compareVersions("0.171.0", "0.169.0"), 1);
  assert.equal(compareVersions("2.1.332", "2.1.332"), 0);
  assert.equal(compareVersions("2.1", "2.1.0"), 0, "a missing part is 0");
  assert.equal(compareVersions("v2.1.332", "2.1.332"), 0, "a leading v");
  assert.equal(compareVersions("2.1.333-beta.1", "2.1.333"), 0, "suffix");
  assert.equal(compareVersions("10.0.0", "9.99.99"), 1);
});

Deno.test("tested range: older, tested (both ends included) or newer", () => {
  assert.equal(versionPlace("2.1.196", CLAUDE), "older");
  assert.equal(versionPlace("2.1.197", CLAUDE), "tested");
  assert.equal(versionPlace("2.1.250", CLAUDE), "tested");
  assert.equal(versionPlace("2.1.332", CLAUDE), "tested");
  assert.equal(versionPlace("2.1.333", CLAUDE), "newer");
  assert.equal(versionPlace("3.0.0", CLAUDE), "newer");
});

Deno.test("tested range: no note within it; outside, never advice to downgrade", () => {
  assert.equal(untestedVersion("2.1.300", CLAUDE), undefined);
  const newer = untestedVersion("2.1.400", CLAUDE);
  assert.equal(newer?.place, "newer");
  assert.equal(newer?.what, "newer than the newest tested (2.1.332)");
  assert.match(newer!.advice, /deno task compat/);
  assert.doesNotMatch(newer!.advice, /install|downgrade|2\.1\.332/);
  const older = untestedVersion("2.1.100", CLAUDE);
  assert.equal(older?.place, "older");
  assert.equal(older?.what, "older than the oldest tested (2.1.197)");
  assert.match(older!.advice, /upgrade to at least 2\.1\.197/);
});

Deno.test("tested range: formatted as oldest–newest, or one version", () => {
  assert.equal(formatTestedRange(CLAUDE), "2.1.197–2.1.332");
  assert.equal(
    formatTestedRange({ oldest: "1.0.0", newest: "1.0.0" }),
    "1.0.0",
  );
});
