/**
 * How `wait`, `send --wait` and `pause --wait` report a turn: the answer
 * alone on stdout, a one-line reason on stderr otherwise, and an exit code
 * that never says success for an answer aimax cannot back.
 */
import assert from "node:assert/strict";
import type { TurnOutcome } from "../../lib/backend/contract.ts";
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

Deno.test("turn report: the answer reaches a terminal with its control characters made visible, a pipe as written, stderr always made visible", () => {
  const hostile = "ok\x1b]52;c;cm0=\x07\x1b[2J\tdone\r\nnext";
  const turn: TurnOutcome = {
    ...base,
    outcome: "completed",
    text: hostile,
    source: "transcript",
  };
  const tty = capture();
  assert.equal(
    reportTurn({ ...tty.io, terminal: () => true }, {
      turn,
      sessionId: "s",
      json: false,
    }),
    0,
  );
  assert.deepEqual(tty.out, ["ok?]52;c;cm0=??[2J\tdone\nnext"]);
  const pipe = capture();
  reportTurn({ ...pipe.io, terminal: () => false }, {
    turn,
    sessionId: "s",
    json: false,
  });
  assert.deepEqual(pipe.out, [hostile]);
  const dialog = capture();
  assert.equal(
    reportTurn(dialog.io, {
      turn: { ...turn, outcome: "awaiting_input" },
      sessionId: "s",
      json: false,
    }),
    5,
  );
  assert.equal(dialog.err[1], "ok?]52;c;cm0=??[2J\tdone\nnext");
  const unknown = capture();
  reportTurn(unknown.io, {
    turn: { ...turn, outcome: "unknown", reason: hostile },
    sessionId: "s",
    json: false,
  });
  assert.ok(!unknown.err[0].includes("\x1b"), unknown.err[0]);
});
