import assert from "node:assert/strict";
import { readRange, readRangeSync } from "../lib/jsonl/range.ts";

Deno.test("readRange and readRangeSync: the same bytes, fewer at the end of the file", async () => {
  const path = await Deno.makeTempFile();
  try {
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    await Deno.writeFile(path, bytes);
    using file = await Deno.open(path);
    for (
      const [position, length] of [
        [0, 10],
        [1, 3],
        [70_000, 200_000],
        [299_990, 100],
        [300_000, 5],
      ]
    ) {
      const expected = bytes.subarray(position, position + length);
      assert.deepEqual(await readRange(file, { position, length }), expected);
      assert.deepEqual(readRangeSync(file, { position, length }), expected);
    }
  } finally {
    await Deno.remove(path);
  }
});
