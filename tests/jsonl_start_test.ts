import assert from "node:assert/strict";
import { join } from "node:path";
import { endOfCompleteLines, startPoint } from "../lib/jsonl/start.ts";
import { withTempDir } from "./support/temp_dir.ts";

const withDir = (fn: (dir: string) => Promise<void>) =>
  withTempDir("aimax-start-", fn);

Deno.test("endOfCompleteLines: missing, partial, complete", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "e.jsonl");
    assert.equal(await endOfCompleteLines(path), 0);
    await Deno.writeTextFile(path, '{"a":1}\n{"b":');
    assert.equal(await endOfCompleteLines(path), 8);
    await Deno.writeTextFile(path, '{"a":1}\n');
    assert.equal(await endOfCompleteLines(path), 8);
    // A last newline more than 64 KiB before the end.
    await Deno.writeTextFile(path, '{"a":1}\n' + "x".repeat(200_000));
    assert.equal(await endOfCompleteLines(path), 8);
    await Deno.writeTextFile(path, "no newline at all");
    assert.equal(await endOfCompleteLines(path), 0);
  });
});

Deno.test("startPoint: the up to 64 bytes before the offset are its anchor", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "s.jsonl");
    const first = `{"a":"${"x".repeat(100)}"}\n`;
    await Deno.writeTextFile(path, first + '{"b":2}\n');
    const enc = new TextEncoder();
    assert.deepEqual(await startPoint(path, 0), { anchor: new Uint8Array(0) });
    assert.deepEqual(await startPoint(path, 8 + first.length), {
      anchor: enc.encode((first + '{"b":2}\n').slice(first.length + 8 - 64)),
    });
    assert.deepEqual(await startPoint(path, 5), {
      anchor: enc.encode(first.slice(0, 5)),
    });
  });
});

Deno.test("startPoint: an offset the file cannot hold is stale", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "s.jsonl");
    // Offset 0 holds whether the file exists or not.
    assert.deepEqual(await startPoint(path, 0), { anchor: new Uint8Array(0) });
    assert.deepEqual(await startPoint(path, 8), { stale: "replaced" });
    await Deno.writeTextFile(path, '{"a":1}\n');
    assert.deepEqual(await startPoint(path, 9), { stale: "truncated" });
    assert.deepEqual(await startPoint(path, 8), {
      anchor: new TextEncoder().encode('{"a":1}\n'),
    });
  });
});
