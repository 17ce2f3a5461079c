import assert from "node:assert/strict";
import { follow } from "../../lib/remote/follow.ts";
import { join } from "node:path";
import { setConfig } from "../../lib/config.ts";
import { resetBackends } from "../../lib/registry.ts";
import { StateStore } from "../../lib/state.ts";
import { bareRecord } from "../support/records.ts";
import { withTempDir } from "../support/temp_dir.ts";
import { ROOT, waitFor } from "../support/world.ts";

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
  const errors: { code: string }[] = [];
  const stop = await follow(
    { url: `http://127.0.0.1:${server.addr.port}`, token: "t" },
    "/api/stream",
    {
      resume: true,
      onMessage: (data) => got.push(data),
      onError: (error) => errors.push(error),
    },
  );
  try {
    await waitFor("three connections", () => lastIds.length >= 3, 10_000);
    assert.deepEqual(got, [{ n: 1 }, { n: 2 }]);
    assert.deepEqual(lastIds, [null, "1", "2"]);
    await waitFor("the error reported", () => errors.length > 0, 5_000);
    assert.deepEqual(errors.map((e) => e.code), ["gone"]);
    // The error answer ended it: no fourth connection.
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(lastIds.length, 3);
  } finally {
    await stop();
    await server.shutdown();
  }
});

/** A server whose stream answers `body` with `type` on every connection. */
function brokenStream(body: string, type: string) {
  const times: number[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => {
      times.push(Date.now());
      return new Response(body, { headers: { "content-type": type } });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    times,
    close: () => server.shutdown(),
  };
}

for (
  const [what, body] of [
    ["a message that is not JSON", "data: {not json\n\n"],
    ["an empty stream", ""],
    ["only pings", ": ping\n\n"],
  ]
) {
  Deno.test(`remote follow: ${what} fails after a bounded number of tries, with a growing pause between them and one error`, async () => {
    const server = brokenStream(body, "text/event-stream");
    const retries: string[] = [];
    const errors: { code: string; message: string }[] = [];
    const stop = await follow({ url: server.url, token: "t" }, "/s", {
      resume: true,
      onMessage: () => {},
      onError: (error) => errors.push(error),
      onRetry: (line) => retries.push(line),
      timings: { streamTries: 4, streamBackoffMs: 50 },
    });
    try {
      await waitFor("the error", () => errors.length > 0, 5_000);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(server.times.length, 4, "four tries, then none");
      assert.equal(errors.length, 1);
      assert.equal(errors[0].code, "stream_failed");
      assert.match(errors[0].message, /failed 4 times in a row/);
      assert.equal(retries.length, 3);
      assert.match(retries[0], /trying again in 0.05 s \(2 of 4\)/);
      const gaps = server.times.slice(1).map((t, i) => t - server.times[i]);
      assert.ok(gaps[2] >= 180, `backoff grows: ${gaps}`);
    } finally {
      await stop();
      await server.close();
    }
  });
}

Deno.test("remote follow: a first answer that is not an event stream is refused at once", async () => {
  const server = brokenStream("<html>hi</html>", "text/html");
  try {
    await assert.rejects(
      () =>
        follow({ url: server.url, token: "t" }, "/s", {
          resume: false,
          onMessage: () => {},
        }),
      (e: Error & { code?: string }) =>
        e.code === "bad_response" &&
        /"text\/html", not an event stream/.test(e.message),
    );
    assert.equal(server.times.length, 1);
  } finally {
    await server.close();
  }
});

Deno.test("remote follow: a stream that trickles a message a byte at a time, never silent, never whole, fails after a bounded number of tries", async () => {
  let connections = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => {
      connections++;
      let timer: ReturnType<typeof setInterval> | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("data: "));
          timer = setInterval(() => {
            try {
              controller.enqueue(new TextEncoder().encode("x"));
            } catch {
              clearInterval(timer);
            }
          }, 20);
        },
        cancel: () => clearInterval(timer),
      });
      return new Response(body, {
        headers: { "content-type": "text/event-stream" },
      });
    },
  );
  const errors: { code: string; message: string }[] = [];
  const retries: string[] = [];
  const stop = await follow(
    { url: `http://127.0.0.1:${server.addr.port}`, token: "t", timeoutMs: 200 },
    "/s",
    {
      resume: true,
      onMessage: () => {},
      onError: (error) => errors.push(error),
      onRetry: (line) => retries.push(line),
      timings: { streamTries: 3, streamBackoffMs: 10, streamIdleMinMs: 200 },
    },
  );
  try {
    await waitFor("the error", () => errors.length > 0, 10_000);
    assert.equal(connections, 3);
    assert.equal(errors[0].code, "stream_failed");
    assert.match(
      errors[0].message,
      /failed 3 times in a row; the last time: the stream trickled a message: \d+ bytes in 0\.\d s, not yet whole/,
    );
    assert.equal(retries.length, 2);
  } finally {
    await stop();
    await server.shutdown();
  }
});

Deno.test("remote follow: stop ends a session's quiet stream from `aimax serve` at once, while a read waits (Ctrl-C on remote `stream`/`events` used to hang for good)", async () => {
  await withTempDir("aimax-follow-stop-", async (dir) => {
    const dataDir = join(dir, "data");
    const jsonl = join(dir, "t.jsonl");
    await Deno.writeTextFile(
      jsonl,
      Array.from({ length: 50 }, (_, i) => JSON.stringify({ i }) + "\n")
        .join(""),
    );
    setConfig({ dataDir, tmuxSocket: join(dir, "tmux.sock") });
    resetBackends();
    await new StateStore(dataDir).put({
      ...bareRecord("d1", "tmux-claude-code", dir),
      jsonlPath: jsonl,
    });
    // The server in a process of its own, as a user runs it: in the same
    // process the client's abort ends the read anyway.
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        join(ROOT, "mod.ts"),
        "serve",
        "--port",
        "0",
        "--json",
      ],
      env: {
        AIMAX_DATA_DIR: dataDir,
        AIMAX_TMUX_SOCKET: join(dir, "tmux.sock"),
        AIMAX_SERVE_TOKEN: "t".repeat(32),
        HOME: dir,
      },
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let first = "";
    while (!first.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) break;
      first += value;
    }
    const served = { url: JSON.parse(first.split("\n")[0]).url as string };
    try {
      const seen: unknown[] = [];
      const stop = await follow(
        { url: served.url.replace(/\/$/, ""), token: "t".repeat(32) },
        "/api/sessions/d1/stream",
        {
          query: { backend: "tmux-claude-code", from: 0 },
          resume: true,
          onMessage: (data) => seen.push(data),
        },
      );
      await waitFor("the catch-up", () => seen.length === 50, 10_000);
      await new Promise((r) => setTimeout(r, 500));
      const started = Date.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stopped = await Promise.race([
        Promise.resolve(stop()).then(() => true),
        new Promise<false>((r) => timer = setTimeout(() => r(false), 5_000)),
      ]);
      clearTimeout(timer);
      assert.ok(stopped, "stop() did not end within 5 s");
      assert.ok(Date.now() - started < 2_000, `${Date.now() - started} ms`);
    } finally {
      child.kill("SIGTERM");
      await child.status;
      await lines.cancel().catch(() => {});
      setConfig({});
      resetBackends();
    }
  });
});
