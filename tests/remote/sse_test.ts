import assert from "node:assert/strict";
import {
  parseSseBlock,
  readSse,
  type SseMessage,
} from "../../lib/remote/sse.ts";

Deno.test("remote sse: blocks parse; comments and retry lines are skipped", async () => {
  assert.deepEqual(parseSseBlock('id: 3\ndata: {"a":1}'), {
    id: "3",
    data: { a: 1 },
  });
  assert.equal(parseSseBlock(": ping"), undefined);
  assert.equal(parseSseBlock("retry: 1000"), undefined);
  const got: SseMessage[] = [];
  await readSse(
    new Response(
      'retry: 1000\n\nid: 1\ndata: {"n":1}\n\n: ping\n\ndata: 2\n\n',
    ),
    (m) => got.push(m),
  );
  assert.deepEqual(got, [{ id: "1", data: { n: 1 } }, { data: 2 }]);
});
