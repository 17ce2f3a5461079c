import assert from "node:assert/strict";
import {
  PANE_FORMAT,
  parsePane,
  parsePanes,
  SEP,
  withoutDeadBanner,
} from "../../lib/tmux/format.ts";

Deno.test("tmux format: a pane line parses into its facts; a window name may hold the separator", () => {
  assert.equal(PANE_FORMAT.split(SEP).length, 9);
  const line = [
    "$1",
    "@2",
    "%3",
    "4242",
    "1",
    "3",
    "sleep",
    "hub",
    `odd${SEP}name`,
  ]
    .join(SEP);
  assert.deepEqual(parsePane(line), {
    sessionId: "$1",
    windowId: "@2",
    paneId: "%3",
    panePid: 4242,
    paneDead: true,
    paneDeadStatus: 3,
    currentCommand: "sleep",
    sessionName: "hub",
    windowName: `odd${SEP}name`,
  });
  // A live pane: no exit status.
  const live = parsePane(
    ["$1", "@2", "%4", "7", "0", "", "claude", "hub", "w"].join(SEP),
  );
  assert.equal(live.paneDead, false);
  assert.equal(live.paneDeadStatus, undefined);
});

Deno.test("tmux format: every non-empty line is one pane", () => {
  const one = ["$1", "@1", "%1", "1", "0", "", "sh", "s", "a"].join(SEP);
  const two = ["$1", "@2", "%2", "2", "0", "", "sh", "s", "b"].join(SEP);
  const panes = parsePanes(`${one}\n${two}\n\n`);
  assert.deepEqual(panes.map((p) => p.paneId), ["%1", "%2"]);
  assert.deepEqual(parsePanes(""), []);
});

Deno.test("tmux format: withoutDeadBanner takes tmux's own last line and the blanks before it, nothing else", () => {
  assert.equal(
    withoutDeadBanner(
      "env: 'x': No such file or directory\n\n\n" +
        "Pane is dead (status 127, Fri Dec  4 18:04:05 2026)\n",
    ),
    "env: 'x': No such file or directory",
  );
  assert.equal(withoutDeadBanner("boom\n"), "boom\n");
  assert.equal(
    withoutDeadBanner("says Pane is dead (no)\nmore\n"),
    "says Pane is dead (no)\nmore\n",
  );
});
