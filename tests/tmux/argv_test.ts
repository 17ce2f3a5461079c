import assert from "node:assert/strict";
import { literal } from "../../lib/tmux/argv.ts";

Deno.test("tmux argv: an argument ending in ; is escaped, any other left as is", () => {
  assert.equal(literal("echo 1;"), "echo 1\\;");
  assert.equal(literal(";"), "\\;");
  assert.equal(literal("a;b"), "a;b");
  assert.equal(literal("plain"), "plain");
  assert.equal(literal(""), "");
});
