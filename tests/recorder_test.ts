import assert from "node:assert/strict";
import {
  type PromptPasteEvent,
  recordPromptPaste,
  setRecorder,
} from "../lib/recorder.ts";

const event: PromptPasteEvent = {
  backendName: "tmux-claude-code",
  sessionId: "s1",
  contentLength: 12,
};

Deno.test("recorder: receives events; removed recorder receives none", () => {
  const got: PromptPasteEvent[] = [];
  setRecorder((e) => got.push(e));
  try {
    recordPromptPaste(event);
    recordPromptPaste({ ...event, contentLength: 3 });
    assert.deepEqual(got, [event, { ...event, contentLength: 3 }]);
    setRecorder(undefined);
    recordPromptPaste(event);
    assert.equal(got.length, 2);
  } finally {
    setRecorder(undefined);
  }
});

Deno.test("recorder: a throwing recorder does not break the caller", () => {
  const logged: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  let calls = 0;
  setRecorder(() => {
    calls++;
    throw new Error("analytics down");
  });
  try {
    recordPromptPaste(event);
    recordPromptPaste(event);
  } finally {
    console.error = original;
    setRecorder(undefined);
  }
  assert.equal(calls, 2);
  assert.equal(logged.length, 2);
  assert.ok(String(logged[0].at(-1)).includes("analytics down"));
});
