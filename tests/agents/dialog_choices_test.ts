/**
 * Each agent reads its permission dialogs' choices (the words the agent
 * offers, what each does, the keys that pick it) and what they ask about,
 * from the screens captured from the real TUIs of each tested version.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { claudeProfile } from "../../lib/agents/claude.ts";
import { codexProfile } from "../../lib/agents/codex.ts";
import { geminiProfile } from "../../lib/agents/gemini.ts";
import { ROOT } from "../support/world.ts";

const DIR = join(ROOT, "tests", "fixtures", "screens");

async function read(file: string) {
  const profile = file.startsWith("claude/") ? claudeProfile : codexProfile;
  return profile.readScreen(await Deno.readTextFile(join(DIR, file)));
}

for (const version of ["2.1.197", "2.1.332"]) {
  for (const name of ["permission.txt", "permission_typed.txt"]) {
    Deno.test(`dialog choices: claude ${version} ${name}: Yes, Yes and always, No; picked with the arrows and Enter`, async () => {
      const got = await read(`claude/${version}/${name}`);
      assert.equal(got.kind, "dialog");
      if (got.kind !== "dialog") return;
      assert.equal(got.asks, "mkdir /tmp/aimax-fixture/marker");
      assert.deepEqual(
        got.choices?.map((c) => [c.kind, c.selected, c.keys]),
        [
          ["yes", true, ["Enter"]],
          ["always", false, ["Down", "Enter"]],
          ["no", false, ["Down", "Down", "Enter"]],
        ],
      );
      assert.equal(got.choices?.[0].label, "Yes");
      assert.match(got.choices![1].label, /^Yes, and always allow access to /);
      assert.equal(got.choices?.[2].label, "No");
    });
  }
}

for (const version of ["0.169.0", "0.171.0"]) {
  for (const name of ["approval.txt", "approval_typed.txt"]) {
    Deno.test(`dialog choices: codex ${version} ${name}: each choice picked by its own key (y, p, Escape)`, async () => {
      const got = await read(`codex/${version}/${name}`);
      assert.equal(got.kind, "dialog");
      if (got.kind !== "dialog") return;
      assert.equal(got.asks, "mkdir /tmp/aimax-fixture/marker");
      assert.deepEqual(got.choices, [
        { label: "Yes, proceed", kind: "yes", selected: true, keys: ["y"] },
        {
          label:
            "Yes, and don't ask again for commands that start with `mkdir /tmp/aimax-fixture/marker`",
          kind: "always",
          selected: false,
          keys: ["p"],
        },
        {
          label: "No, and tell Codex what to do differently",
          kind: "no",
          selected: false,
          keys: ["Escape"],
        },
      ]);
    });
  }
}

Deno.test("dialog choices: a screen with no dialog has none", async () => {
  for (const file of ["claude/2.1.332/ready.txt", "codex/0.171.0/ready.txt"]) {
    const got = await read(file);
    assert.equal(got.kind, "input", file);
    assert.equal("choices" in got, false, file);
  }
});

for (const name of ["permission.txt", "permission_typed.txt"]) {
  Deno.test(`dialog choices: gemini 0.61.0 ${name}: Allow once, Allow for this session, No (Escape)`, async () => {
    const screen = await Deno.readTextFile(
      join(DIR, "gemini", "0.61.0", name),
    );
    const got = geminiProfile.readScreen(screen);
    assert.equal(got.kind, "dialog");
    if (got.kind !== "dialog") return;
    assert.equal(got.purpose, "permission");
    assert.equal(got.asks, "touch /tmp/aimax-fixture-gemini/marker");
    assert.deepEqual(
      got.choices?.map((c) => [c.label, c.kind, c.selected, c.keys]),
      [
        ["Allow once", "yes", true, ["Enter"]],
        ["Allow for this session", "always", false, ["Down", "Enter"]],
        ["No, suggest changes", "no", false, ["Escape"]],
      ],
    );
  });
}
