import assert from "node:assert/strict";
import { formatDuration, relativeTime } from "../../lib/render/time.ts";

const now = Date.parse("2026-01-01T12:00:00Z");
const ago = (ms: number) => new Date(now - ms).toISOString();

Deno.test("relativeTime: seconds, minutes, hours, days ago", () => {
  assert.equal(relativeTime(ago(1_000), { now }), "just now");
  assert.equal(relativeTime(ago(12_000), { now }), "12s ago");
  assert.equal(relativeTime(ago(3 * 60_000 + 5_000), { now }), "3m ago");
  assert.equal(relativeTime(ago(5 * 3_600_000), { now }), "5h ago");
  assert.equal(relativeTime(ago(2 * 86_400_000 + 1), { now }), "2d ago");
});

Deno.test("relativeTime: no time, a bad time, a time ahead of now", () => {
  assert.equal(relativeTime(null, { now }), "-");
  assert.equal(relativeTime("yesterday-ish", { now }), "-");
  assert.equal(relativeTime(ago(-60_000), { now }), "just now");
});

Deno.test("formatDuration: ms, seconds, minutes, hours", () => {
  assert.equal(formatDuration(88), "88ms");
  assert.equal(formatDuration(4_249), "4.2s");
  assert.equal(formatDuration(185_000), "3m 05s");
  assert.equal(formatDuration(2 * 3_600_000 + 10 * 60_000), "2h 10m");
});
