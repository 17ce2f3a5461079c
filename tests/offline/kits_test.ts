/**
 * Each agent's test kit reads the prompts and answers of its own recorded
 * transcripts, and nothing from another agent's: the shared e2e helpers
 * (`userPrompts`, `assistantTexts`) ask every kit about every record.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { readJsonl } from "../../lib/jsonl/reader.ts";
import { AGENTS, TEST_KITS } from "../../offline/kits.ts";
import { blockTexts } from "../../offline/test_kit.ts";
import { ROOT } from "../support/world.ts";

const DIR = join(ROOT, "tests", "fixtures", "transcripts");

/** The recorded transcripts of `agent` (files named `<agent>*.jsonl`). */
async function recorded(agent: string): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const entry of Deno.readDir(DIR)) {
    if (entry.name.startsWith(agent) && entry.name.endsWith(".jsonl")) {
      const { entries } = await readJsonl(join(DIR, entry.name));
      values.push(...entries.map((e) => e.value));
    }
  }
  return values;
}

for (const agent of AGENTS) {
  Deno.test(`kits: ${agent}'s kit reads prompts and answers of its transcripts, no other kit does`, async () => {
    const records = await recorded(agent);
    assert.ok(records.length > 0, `no recorded transcript for ${agent}`);
    const own = records.map((r) => TEST_KITS[agent].recordTexts(r));
    assert.ok(own.some((t) => t.user.length > 0), "no prompt read");
    assert.ok(own.some((t) => t.assistant.length > 0), "no answer read");
    assert.ok(
      own.every((t) => [...t.user, ...t.assistant].every((s) => s.length > 0)),
      "an empty text read",
    );
    for (const other of AGENTS.filter((a) => a !== agent)) {
      for (const record of records) {
        const texts = TEST_KITS[other].recordTexts(record);
        assert.deepEqual(
          [texts.user, texts.assistant],
          [[], []],
          `${other}'s kit reads ${JSON.stringify(record).slice(0, 120)}`,
        );
      }
    }
  });
}

Deno.test("kits: blockTexts takes a string or the text blocks of an array", () => {
  assert.deepEqual(blockTexts("hi"), ["hi"]);
  assert.deepEqual(
    blockTexts([{ type: "text", text: "a" }, { type: "image" }, {
      text: "b",
    }]),
    ["a", "b"],
  );
  assert.deepEqual(blockTexts({ text: "x" }), []);
  assert.deepEqual(blockTexts(undefined), []);
});
