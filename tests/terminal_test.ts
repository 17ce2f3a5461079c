import assert from "node:assert/strict";
import {
  colorEnabled,
  jsonLine,
  paint,
  Spinner,
  terminalText,
} from "../lib/terminal.ts";

Deno.test("terminal: colour only on a terminal and without NO_COLOR", () => {
  const tty = { isTerminal: () => true };
  const pipe = { isTerminal: () => false };
  const saved = Deno.env.get("NO_COLOR");
  try {
    Deno.env.delete("NO_COLOR");
    assert.equal(colorEnabled(tty), true);
    assert.equal(colorEnabled(pipe), false);
    Deno.env.set("NO_COLOR", "1");
    assert.equal(colorEnabled(tty), false);
  } finally {
    if (saved === undefined) Deno.env.delete("NO_COLOR");
    else Deno.env.set("NO_COLOR", saved);
  }
});

Deno.test("terminal: paint wraps in ANSI codes only when enabled", () => {
  assert.equal(paint("x", "red", false), "x");
  assert.equal(paint("x", "red", true), "\x1b[31mx\x1b[0m");
});

Deno.test("terminal: a disabled spinner writes nothing", async () => {
  const written: string[] = [];
  const spinner = new Spinner((t) => written.push(t), false);
  spinner.start("working");
  spinner.update("still");
  await new Promise((r) => setTimeout(r, 120));
  spinner.stop();
  assert.deepEqual(written, []);
});

Deno.test("terminal: an enabled spinner draws, updates and clears its line", async () => {
  const written: string[] = [];
  const spinner = new Spinner((t) => written.push(t), true);
  spinner.start("starting");
  await new Promise((r) => setTimeout(r, 200));
  spinner.update("submitting");
  spinner.stop();
  assert.ok(written.length >= 3);
  assert.match(written[0], /starting/);
  assert.ok(written.some((w) => w.includes("submitting")));
  assert.equal(written.at(-1), "\r\x1b[2K");
});

Deno.test("terminal: terminalText makes every control character but newline and tab visible (OSC 52, CSI, title, C1, lone CR)", () => {
  assert.equal(
    terminalText(
      "a\x1b]52;c;cm0=\x07b\x1b[2J\x1b]0;t\x07\x9b31m\r\n\tc\rd\x7f",
    ),
    "a?]52;c;cm0=?b?[2J?]0;t??31m\n\tc?d?",
  );
  assert.equal(terminalText("plain\nlines\tstay"), "plain\nlines\tstay");
});

Deno.test("terminal: jsonLine escapes DEL, C1 and the line separators, and parses back to the same value", () => {
  const value = { text: "a\x9b2J\x7f\u2028b\x1b[2J", n: [1, "é"] };
  const line = jsonLine(value);
  assert.equal(
    line,
    '{"text":"a\\u009b2J\\u007f\\u2028b\\u001b[2J","n":[1,"é"]}',
  );
  assert.deepEqual(JSON.parse(line), value);
});
