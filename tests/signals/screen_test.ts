/** `lib/signals/screen.ts`: the dialog text every agent's reader reports. */
import assert from "node:assert/strict";
import { dialogText } from "../../lib/signals/screen.ts";

Deno.test("screen: dialogText takes the lines from the start to the first key-hint line at or after it, trimmed, blanks left out", () => {
  const lines = [
    " Esc to cancel (an earlier hint) ",
    "",
    "  Run this command?  ",
    "   ls -la",
    "",
    " ❯ 1. Yes",
    "   2. No",
    " Esc to cancel",
    "> ",
  ];
  assert.equal(
    dialogText(lines, { start: 2, end: /to cancel/ }),
    "Run this command?\nls -la\n❯ 1. Yes\n2. No\nEsc to cancel",
  );
  // No hint line: to the screen's end.
  assert.equal(
    dialogText(lines.slice(0, 7), { start: 2, end: /to cancel/ }),
    "Run this command?\nls -la\n❯ 1. Yes\n2. No",
  );
});
