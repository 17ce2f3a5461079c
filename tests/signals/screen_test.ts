/** `lib/signals/screen.ts`: the dialog text every agent's reader reports. */
import assert from "node:assert/strict";
import {
  choiceKind,
  dialogText,
  numberedChoices,
} from "../../lib/signals/screen.ts";

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

Deno.test("screen: choiceKind reads what a choice's words say it does", () => {
  assert.equal(choiceKind("Yes"), "yes");
  assert.equal(choiceKind("Yes, proceed"), "yes");
  assert.equal(choiceKind("Yes, I trust this folder"), "yes");
  assert.equal(
    choiceKind("Yes, and don't ask again for commands that start with `ls`"),
    "always",
  );
  assert.equal(
    choiceKind("Yes, allow all edits during this session"),
    "always",
  );
  assert.equal(choiceKind("No, and tell Codex what to do differently"), "no");
  assert.equal(choiceKind("No"), "no");
  assert.equal(choiceKind("Trust and continue"), "other");
});

Deno.test("screen: numberedChoices walks from the selected choice, or takes the agent's own key; other lines and out-of-order numbers are not choices", () => {
  const arrows = numberedChoices([
    "Do you want to proceed?",
    "1. Yes",
    "❯ 2. Yes, and always allow",
    "3. No",
    "4) not a choice",
    "7. out of order",
  ], { mark: "❯" });
  assert.deepEqual(arrows.map((c) => [c.label, c.kind, c.selected, c.keys]), [
    ["Yes", "yes", false, ["Up", "Enter"]],
    ["Yes, and always allow", "always", true, ["Enter"]],
    ["No", "no", false, ["Down", "Enter"]],
  ]);
  const keyed = numberedChoices(["› 1. Yes (y)", "2. No (esc)"], {
    mark: "›",
    shortcut: (words) => {
      const m = /^(.*) \((\w+)\)$/.exec(words);
      return m ? { label: m[1], key: m[2] } : { label: words };
    },
  });
  assert.deepEqual(keyed.map((c) => c.keys), [["y"], ["esc"]]);
  // No selection mark and no shortcut: no keys aimax could press.
  assert.deepEqual(
    numberedChoices(["1. Yes", "2. No"], { mark: "❯" }).map((c) => c.keys),
    [[], []],
  );
});
