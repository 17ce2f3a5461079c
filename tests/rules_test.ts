import assert from "node:assert/strict";
import { InputError } from "../lib/errors.ts";
import {
  formatRules,
  hasRules,
  MAX_RULE_LENGTH,
  MAX_RULES,
  parseRule,
  RULE_KINDS,
  unexpressible,
  validateRules,
} from "../lib/rules.ts";

Deno.test("rules: KIND:PATTERN is read for every kind, the pattern trimmed and kept as given otherwise", () => {
  assert.deepEqual(RULE_KINDS, ["bash", "edit", "read", "tool"]);
  assert.deepEqual(parseRule("bash:npm test *"), {
    kind: "bash",
    pattern: "npm test *",
    text: "bash:npm test *",
  });
  assert.deepEqual(parseRule("edit: src/** "), {
    kind: "edit",
    pattern: "src/**",
    text: "edit:src/**",
  });
  assert.equal(parseRule("read:.env").kind, "read");
  assert.equal(parseRule("tool:WebFetch").pattern, "WebFetch");
  // Only the first colon separates: a pattern may hold more.
  assert.equal(parseRule("bash:echo a:b").pattern, "echo a:b");
});

Deno.test("rules: a word that is not a rule is refused with invalid_input naming it", () => {
  for (
    const [bad, why] of [
      ["npm test", /KIND:PATTERN/],
      ["shell:ls", /KIND:PATTERN with KIND one of bash, edit, read, tool/],
      ["Bash:ls", /KIND:PATTERN/],
      ["bash:", /empty pattern/],
      ["bash:   ", /empty pattern/],
      ["tool:two words", /does not name a tool/],
      ["bash:a\u0007b", /control character/],
      ["bash:" + "x".repeat(MAX_RULE_LENGTH), /too long/],
    ] as const
  ) {
    try {
      parseRule(bad);
      assert.fail(`${bad} was read`);
    } catch (e) {
      assert.ok(e instanceof InputError);
      assert.equal(e.code, "invalid_input");
      assert.match(e.message, why, bad);
      assert.ok(e.message.startsWith("rule "), e.message);
      // deno-lint-ignore no-control-regex
      assert.doesNotMatch(e.message, /[\u0000-\u001f]/);
    }
  }
  assert.throws(() => parseRule(42), InputError);
});

Deno.test("rules: validateRules checks both lists, drops duplicates, refuses a rule both allowed and denied and lists that are too long", () => {
  assert.deepEqual(
    validateRules({
      allow: ["bash:touch *", "bash:touch *", " edit:src/**"],
      deny: ["bash:rm *"],
    }),
    { allow: ["bash:touch *", "edit:src/**"], deny: ["bash:rm *"] },
  );
  assert.deepEqual(validateRules({}), { allow: [], deny: [] });
  assert.deepEqual(validateRules({ allow: null, deny: undefined }), {
    allow: [],
    deny: [],
  });
  assert.throws(
    () => validateRules({ allow: ["bash:rm *"], deny: ["bash:rm *"] }),
    /both allowed and denied/,
  );
  assert.throws(() => validateRules({ allow: "bash:rm *" }), /list/);
  assert.throws(
    () =>
      validateRules({
        deny: Array.from({ length: MAX_RULES + 1 }, (_, i) => `bash:x${i} *`),
      }),
    /too many deny rules/,
  );
  assert.throws(() => validateRules({ deny: ["nope"] }), /"nope"/);
});

Deno.test("rules: formatRules and hasRules, for status", () => {
  assert.equal(formatRules(undefined), "-");
  assert.equal(formatRules({ allow: [], deny: [] }), "-");
  assert.equal(
    formatRules({ allow: ["bash:touch *"], deny: ["bash:rm *", "edit:.env"] }),
    "allow bash:touch *; deny bash:rm *; deny edit:.env",
  );
  assert.equal(hasRules(null), false);
  // What a server sent that is not lists: nothing to show, no crash.
  const odd = { allow: "bash:x *", deny: 7 } as unknown as {
    allow: string[];
    deny: string[];
  };
  assert.equal(hasRules(odd), false);
  assert.equal(formatRules(odd), "-");
  assert.equal(hasRules({ allow: [], deny: ["bash:rm *"] }), true);
});

Deno.test("rules: unexpressible names the rule, the agent and why, as invalid_input", () => {
  const error = unexpressible(parseRule("edit:src/**"), {
    label: "Codex",
    why: "no such rules",
  });
  assert.ok(error instanceof InputError);
  assert.equal(error.code, "invalid_input");
  assert.equal(
    error.message,
    'rule "edit:src/**" cannot be expressed for Codex: no such rules; nothing was created',
  );
});
