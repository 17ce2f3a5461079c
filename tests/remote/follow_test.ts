import assert from "node:assert/strict";
import { follow } from "../../lib/remote/follow.ts";
import { waitFor } from "../support/world.ts";

Deno.test("remote follow: a dropped stream is opened again from the last id; an error answer ends it", async () => {
  const lastIds: (string | null)[] = [];
  const encoder = new TextEncoder();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => {
      lastIds.push(req.headers.get("last-event-id"));
      const n = lastIds.length;
      if (n === 3) {
        return Response.json({ error: { code: "gone", message: "gone" } }, {
          status: 404,
        });
      }
      // Each connection sends one message, then drops.
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(encoder.encode(`id: ${n}\ndata: {"n":${n}}\n\n`));
          controller.close();
        },
      });
      return new Response(body, {
        headers: { "content-type": "text/event-stream" },
      });
    },
  );
  const got: unknown[] = [];
  const stop = await follow(
    { url: `http://127.0.0.1:${server.addr.port}`, token: "t" },
    "/api/stream",
    { resume: true, onMessage: (data) => got.push(data) },
  );
  try {
    await waitFor("three connections", () => lastIds.length >= 3, 10_000);
    assert.deepEqual(got, [{ n: 1 }, { n: 2 }]);
    assert.deepEqual(lastIds, [null, "1", "2"]);
    // The error answer ended it: no fourth connection.
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(lastIds.length, 3);
  } finally {
    await stop();
    await server.shutdown();
  }
});
