import assert from "node:assert/strict";
import { pollUntil, sleep } from "../lib/poll.ts";

Deno.test("pollUntil: a value on the first check returns at once", async () => {
  let calls = 0;
  const result = await pollUntil(() => {
    calls++;
    return "ready";
  }, { timeoutMs: 1000, intervalMs: 500 });
  assert.deepEqual(result, { timedOut: false, value: "ready" });
  assert.equal(calls, 1);
});

Deno.test("pollUntil: polls until the check succeeds; 0 is a value", async () => {
  let calls = 0;
  const started = Date.now();
  const result = await pollUntil(async () => {
    calls++;
    await Promise.resolve();
    return calls < 3 ? undefined : 0;
  }, { timeoutMs: 5000, intervalMs: 10 });
  assert.deepEqual(result, { timedOut: false, value: 0 });
  assert.equal(calls, 3);
  assert.ok(Date.now() - started >= 15, "did not pause between checks");
});

Deno.test("pollUntil: times out without throwing, after a last check at the deadline", async () => {
  const checkedAt: number[] = [];
  const started = Date.now();
  const result = await pollUntil(() => {
    checkedAt.push(Date.now() - started);
    return false;
  }, { timeoutMs: 100, intervalMs: 30 });
  assert.equal(result.timedOut, true);
  assert.equal(result.timedOut && result.attempts, checkedAt.length);
  assert.ok(checkedAt.length >= 3 && checkedAt.length <= 6, `${checkedAt}`);
  assert.ok(checkedAt.at(-1)! >= 100, `last check too early: ${checkedAt}`);
  assert.ok(Date.now() - started < 1000);
});

Deno.test("pollUntil: a check's error propagates", async () => {
  await assert.rejects(
    () =>
      pollUntil(() => {
        throw new Error("check broke");
      }, { timeoutMs: 1000, intervalMs: 10 }),
    /check broke/,
  );
});

Deno.test("pollUntil: abort rejects with the signal's reason, during a pause or before", async () => {
  const controller = new AbortController();
  const started = Date.now();
  setTimeout(() => controller.abort(new Error("stop now")), 30);
  await assert.rejects(
    () =>
      pollUntil(() => undefined, {
        timeoutMs: 10_000,
        intervalMs: 5000,
        signal: controller.signal,
      }),
    /stop now/,
  );
  assert.ok(Date.now() - started < 1000, "abort did not end the pause");
  let calls = 0;
  await assert.rejects(
    () =>
      pollUntil(() => ++calls, {
        timeoutMs: 1000,
        intervalMs: 10,
        signal: controller.signal,
      }),
    /stop now/,
  );
  assert.equal(calls, 0, "checked after the abort");
});

Deno.test("pollUntil: wake ends the pause early, once", async () => {
  let fire!: () => void;
  const wake = new Promise<void>((r) => fire = r);
  let calls = 0;
  const checks: number[] = [];
  const started = Date.now();
  const polling = pollUntil(() => {
    calls++;
    checks.push(Date.now() - started);
    return calls === 3 ? "third" : undefined;
  }, { timeoutMs: 10_000, intervalMs: 300, wake });
  setTimeout(fire, 20);
  const result = await polling;
  assert.deepEqual(result, { timedOut: false, value: "third" });
  // Check 2 came at the wake, check 3 a full interval after it.
  assert.ok(checks[1] < 250, `wake did not cut the pause: ${checks}`);
  assert.ok(checks[2] - checks[1] >= 250, `second pause was cut: ${checks}`);
});

Deno.test("pollUntil: a rejected wake also wakes; a wake during a check skips the pause", async () => {
  let fail!: (e: Error) => void;
  const wake = new Promise<void>((_, reject) => fail = reject);
  let calls = 0;
  const started = Date.now();
  const result = await pollUntil(async () => {
    calls++;
    if (calls === 1) {
      fail(new Error("wake failed"));
      await sleep(5);
    }
    return calls === 2 || undefined;
  }, { timeoutMs: 10_000, intervalMs: 5000, wake });
  assert.deepEqual(result, { timedOut: false, value: true });
  assert.ok(Date.now() - started < 1000, "the pause was not skipped");
});

Deno.test("sleep: waits, and rejects on abort without leaking its timer", async () => {
  const started = Date.now();
  await sleep(20);
  assert.ok(Date.now() - started >= 15);
  const controller = new AbortController();
  const sleeping = sleep(10_000, controller.signal);
  controller.abort(new Error("woken"));
  await assert.rejects(() => sleeping, /woken/);
  await assert.rejects(() => sleep(10, controller.signal), /woken/);
});

Deno.test("pollUntil: a wake function gives a new wake for every pause", async () => {
  let wake = () => {};
  let checks = 0;
  const started = Date.now();
  const ticker = setInterval(() => wake(), 20);
  try {
    const result = await pollUntil(() => ++checks >= 5 || undefined, {
      timeoutMs: 5_000,
      intervalMs: 1_000,
      wake: () => new Promise<void>((r) => wake = r),
    });
    assert.equal(result.timedOut, false);
    assert.ok(Date.now() - started < 900, "each pause was cut short");
  } finally {
    clearInterval(ticker);
  }
});
