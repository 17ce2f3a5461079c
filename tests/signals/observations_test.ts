/**
 * The observations file: lines read back as written, the dialog text
 * bounded, the file shortened to its last lines past its size, and no line
 * lost when many writers append at once across the shortening.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  KEPT_OBSERVATIONS,
  MAX_OBSERVATIONS_BYTES,
  type Observation,
  publishObservation,
  readObservation,
} from "../../lib/signals/observations.ts";

const seen = (n: number, dialog = `run step ${n}?`): Observation => ({
  at: 1_000 + n,
  state: "awaiting_input",
  reason: "a permission dialog",
  dialog,
  dialogInfo: {
    id: `0000000${n % 10}.x${n}`,
    purpose: "permission",
    choices: [],
  },
});

async function lines(path: string): Promise<Observation[]> {
  return (await Deno.readTextFile(path)).split("\n").filter((l) => l !== "")
    .map((l) => readObservation(JSON.parse(l))!);
}

const OPTIONS = { lockTimeoutMs: 10_000 };

Deno.test("observations: published lines read back; a private file; the dialog text is bounded", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "events", "b.s1.observed.jsonl");
  await publishObservation(path, seen(1), OPTIONS);
  await publishObservation(path, seen(2, "x".repeat(100_000)), OPTIONS);
  const read = await lines(path);
  assert.deepEqual(read[0], seen(1));
  assert.equal(read[1].dialog.length, 16 * 1024);
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("observations: past its size the file keeps its last lines", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "s1.observed.jsonl");
  const big = "y".repeat(4_000);
  let n = 0;
  while (
    (await Deno.stat(path).catch(() => ({ size: 0 }))).size <=
      MAX_OBSERVATIONS_BYTES
  ) {
    await publishObservation(path, seen(n++, big), OPTIONS);
  }
  await publishObservation(path, seen(n, "the newest"), OPTIONS);
  const read = await lines(path);
  assert.equal(read.length, KEPT_OBSERVATIONS + 1);
  assert.equal(read.at(-1)!.dialog, "the newest");
  assert.deepEqual(
    read.map((o) => o.at),
    Array.from(
      { length: KEPT_OBSERVATIONS + 1 },
      (_, i) => 1_000 + n - KEPT_OBSERVATIONS + i,
    ),
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("observations: writers appending at once lose no line, also across the shortening", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "s1.observed.jsonl");
  // Just below the size: the next appends shorten it while others wait.
  await Deno.writeTextFile(
    path,
    `${JSON.stringify(seen(0, "z".repeat(MAX_OBSERVATIONS_BYTES)))}\n`,
  );
  await Promise.all(
    Array.from(
      { length: 6 },
      (_, i) => publishObservation(path, seen(i + 1), OPTIONS),
    ),
  );
  const read = await lines(path);
  // All six new ones are there.
  assert.deepEqual(
    read.map((o) => o.at).filter((at) => at > 1_000).sort(),
    [1_001, 1_002, 1_003, 1_004, 1_005, 1_006],
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("observations: anything else is not an observation", () => {
  assert.equal(readObservation(null), undefined);
  assert.equal(readObservation({ at: 1, state: "idle" }), undefined);
  assert.equal(readObservation({ ...seen(1), dialogInfo: {} }), undefined);
  assert.equal(readObservation({ ...seen(1), at: "now" }), undefined);
  assert.deepEqual(readObservation(seen(3)), seen(3));
});
