import assert from "node:assert/strict";
import { reportError } from "../../lib/cli/errors.ts";
import {
  AgentScreenError,
  AwaitingInputError,
  InputError,
  SessionNotFoundError,
  TmuxError,
  UsageError,
} from "../../lib/errors.ts";
import { assertSnapshot } from "../support/snapshot.ts";

const SCREEN = ` Bash command

   rm -f build.log
   Remove the old log

 Do you want to proceed?
 ❯ 1. Yes
   2. No, and tell Claude what to do differently (esc)`;

const ERRORS: [string, unknown][] = [
  ["usage", new UsageError("--session is required")],
  ["bad input", new InputError('session id "a b" has a space')],
  ["not found", new SessionNotFoundError("tmux-claude-code", "demo")],
  ["tmux", new TmuxError(["kill-window", "-t", "@9"], 1, "can't find window")],
  [
    "awaiting input",
    new AwaitingInputError(
      'Claude Code in session "demo" waits on a person: a permission dialog',
      "Bash command\n  rm -f build.log\nDo you want to proceed?",
      SCREEN,
    ),
  ],
  [
    "screen",
    new AgentScreenError("the input box did not appear in 30 s", SCREEN),
  ],
  ["unexpected", new Error("boom\n    at somewhere (file.ts:1:1)")],
];

Deno.test("errors: one line on stderr, plus the screen when it is the reason (snapshot)", async () => {
  const lines: string[] = [];
  for (const [name, error] of ERRORS) {
    const report = reportError(error);
    const screen = error instanceof AgentScreenError ||
      error instanceof AwaitingInputError;
    assert.equal(report.lines.length, screen ? 2 : 1, name);
    assert.match(report.lines[0], /^aimax: [^\n]+$/, name);
    lines.push(`## ${name} (exit ${report.code})`, ...report.lines, "");
  }
  await assertSnapshot("errors", lines);
});
