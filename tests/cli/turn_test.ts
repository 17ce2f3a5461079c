/**
 * How `wait`, `send --wait` and `pause --wait` report a turn: the answer
 * alone on stdout, a one-line reason on stderr otherwise, and an exit code
 * that never says success for an answer aimax cannot back.
 */
import assert from "node:assert/strict";
import type { TurnOutcome } from "../../lib/backend/turns.ts";
import type { CliIo } from "../../lib/cli/command.ts";
import { reportTurn, turnExitCode } from "../../lib/cli/turn.ts";

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      stdin: () => Promise.resolve(undefined),
    },
    out,
    err,
  };
}

const base = { state: "idle", durationMs: 5 } as const;

Deno.test("turn report: a completed turn prints its answer alone and exits 0", () => {
  const { io, out, err } = capture();
  const turn: TurnOutcome = {
    ...base,
    outcome: "completed",
    text: "ack",
    source: "transcript",
  };
  assert.equal(reportTurn(io, { turn, sessionId: "s", json: false }), 0);
  assert.deepEqual(out, ["ack"]);
  assert.deepEqual(err, []);
});

Deno.test("turn report: a final message without text prints nothing, says so on stderr, and --json flags it", () => {
  const turn: TurnOutcome = {
    ...base,
    outcome: "completed",
    text: "",
    empty: true,
    source: "transcript",
  };
  const plain = capture();
  assert.equal(reportTurn(plain.io, { turn, sessionId: "s", json: false }), 0);
  assert.deepEqual(plain.out, [""]);
  assert.match(plain.err.join("\n"), /ended without text/);
  const json = capture();
  reportTurn(json.io, { turn, sessionId: "s", json: true });
  assert.equal(JSON.parse(json.out[0]).empty, true);
});

Deno.test("turn report: interrupted exits 7, cannot-tell exits 8 with its reason, never 0", () => {
  const interrupted = capture();
  const code = reportTurn(interrupted.io, {
    turn: { ...base, outcome: "interrupted", text: "tick" },
    sessionId: "s",
    json: false,
  });
  assert.equal(code, 7);
  assert.deepEqual(interrupted.out, []);
  assert.match(interrupted.err.join("\n"), /interrupted/);

  const unknown = capture();
  const reason = "its transcript records no end of the turn";
  assert.equal(
    reportTurn(unknown.io, {
      turn: { ...base, outcome: "unknown", text: "", reason },
      sessionId: "s",
      json: false,
    }),
    8,
  );
  assert.deepEqual(unknown.out, []);
  assert.ok(unknown.err.join("\n").includes(reason));
  assert.equal(turnExitCode("exited"), 1);
  assert.equal(turnExitCode("timeout"), 6);
  assert.equal(turnExitCode("awaiting_input"), 5);
});
