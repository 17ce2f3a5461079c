import assert from "node:assert/strict";
import { captureArgs, MARK, splitCaptures } from "../../lib/tmux/captures.ts";

Deno.test("tmux captures: one chained command, a marker then a capture per pane", () => {
  assert.deepEqual(captureArgs(["%1", "%2"]), [
    "display-message",
    "-p",
    "-t",
    "%1",
    `${MARK}#{pane_id}`,
    ";",
    "capture-pane",
    "-p",
    "-J",
    "-t",
    "%1",
    ";",
    "display-message",
    "-p",
    "-t",
    "%2",
    `${MARK}#{pane_id}`,
    ";",
    "capture-pane",
    "-p",
    "-J",
    "-t",
    "%2",
  ]);
  assert.deepEqual(captureArgs([]), []);
  // An id ending in `;` stays one argument (it cannot split the chain).
  assert.ok(captureArgs(["%1;"]).includes("%1\\;"));
});

Deno.test("tmux captures: the output splits into each pane's text", () => {
  const out = `${MARK}%1\nfirst screen\n> \n${MARK}%2\nsecond; screen\n\n`;
  const screens = splitCaptures(out);
  assert.deepEqual([...screens.keys()], ["%1", "%2"]);
  assert.equal(screens.get("%1"), "first screen\n> \n");
  assert.equal(screens.get("%2"), "second; screen\n\n");
  assert.equal(splitCaptures("").size, 0);
});
