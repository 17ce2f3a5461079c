import assert from "node:assert/strict";
import {
  DIFF_SHAPE,
  EVENT_SHAPE,
  expectRows,
  expectShape,
  HISTORY_SHAPE,
  SEND_SHAPE,
  STATUS_SHAPE,
  TURN_SHAPE,
} from "../../lib/remote/shape.ts";

const where = { server: "http://h:1", what: "thing" };

function refused(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: Error & { code?: string }) => {
    assert.equal(e.code, "bad_response");
    assert.match(
      e.message,
      /^the server at http:\/\/h:1 answered a thing of the wrong shape/,
    );
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("remote shape: an answer of the right shape passes as it is; optional fields may be missing or null", () => {
  const row = { sessionId: "a", backend: "b", state: "idle", dialog: null };
  assert.deepEqual(expectRows([row], STATUS_SHAPE, where), [row]);
  const turn = {
    outcome: "completed",
    state: "idle",
    text: "hi",
    durationMs: 3,
  };
  assert.equal(expectShape(turn, TURN_SHAPE, where), turn);
});

Deno.test("remote shape: an answer of the wrong shape is a bad_response that says what is wrong, never a TypeError", () => {
  refused(
    () => expectRows({ rows: 5 }, STATUS_SHAPE, where),
    /object where a list was expected/,
  );
  refused(
    () => expectRows([{ sessionId: "a" }], STATUS_SHAPE, where),
    /item 0: "backend" is missing, not string/,
  );
  refused(
    () => expectShape([], SEND_SHAPE, where),
    /array where an object was expected/,
  );
  refused(
    () => expectShape(null, SEND_SHAPE, where),
    /null where an object was expected/,
  );
  refused(
    () =>
      expectShape(
        { outcome: "done", state: "idle", text: "", durationMs: 1 },
        TURN_SHAPE,
        where,
      ),
    /"outcome" is "done", not one of completed/,
  );
  refused(
    () =>
      expectShape(
        { outcome: "completed", state: "idle", text: 5, durationMs: 1 },
        TURN_SHAPE,
        where,
      ),
    /"text" is number, not string/,
  );
  refused(
    () =>
      expectShape(
        { entries: [{ offset: "0", end: 1 }], total: 1, sentinel: 1 },
        HISTORY_SHAPE,
        where,
      ),
    /"entries": item 0: "offset" is string, not number/,
  );
});

Deno.test("remote shape: a diff's files and their hunks are checked row by row (the CLI prints them)", () => {
  const file = {
    path: "a.txt",
    status: "modified",
    additions: 1,
    deletions: 0,
    binary: false,
    hunks: [{ header: "@@ -1 +1 @@", lines: ["+a"] }],
  };
  const diff = {
    sessionId: "s",
    branch: "aimax/s",
    path: "/w",
    baseCommit: "0123",
    files: [file],
    additions: 1,
    deletions: 0,
    shortStat: "+1 \u22120, 1 file",
    patchText: "",
    truncated: false,
  };
  assert.equal(expectShape(diff, DIFF_SHAPE, where), diff);
  refused(
    () => expectShape({ ...diff, files: [{ path: "a" }] }, DIFF_SHAPE, where),
    /"files": item 0: "status" is missing/,
  );
  refused(
    () =>
      expectShape(
        { ...diff, files: [{ ...file, hunks: [{ header: 1, lines: [] }] }] },
        DIFF_SHAPE,
        where,
      ),
    /"files": item 0: "hunks": item 0: "header" is number/,
  );
});

Deno.test("remote shape: an event is checked by its type's fields too", () => {
  const ok = { type: "assistant_message", sessionId: "s", text: "hi" };
  assert.equal(expectShape(ok, EVENT_SHAPE, where), ok);
  assert.ok(expectShape({ type: "new_kind" }, EVENT_SHAPE, where));
  refused(
    () =>
      expectShape({ type: "assistant_message", text: 5 }, EVENT_SHAPE, where),
    /"text" is number, not string/,
  );
  refused(
    () => expectShape({ type: "state", to: "idle" }, EVENT_SHAPE, where),
    /"reason" is missing/,
  );
});

Deno.test("remote shape: the error names what was answered with its article (an event, a status)", () => {
  for (const [what, named] of [["event", "an event"], ["status", "a status"]]) {
    assert.throws(
      () => expectShape(5, EVENT_SHAPE, { server: "http://h:1", what }),
      (e: Error) =>
        e.message.startsWith(
          `the server at http://h:1 answered ${named} of the wrong shape`,
        ),
    );
  }
});
