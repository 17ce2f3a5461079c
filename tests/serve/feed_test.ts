/**
 * A session's transcript as a stream (lib/serve/feed.ts with the SSE and
 * WebSocket ends of lib/serve/sse.ts and ws.ts), in-process on a real
 * `Deno.serve` and raw TCP sockets, over a transcript file (no tmux, no
 * agent): a catch-up that is never read is bounded like a live stream and
 * its client dropped; offsets that are not where an entry starts are
 * refused.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { watchJsonl } from "../../lib/jsonl/watcher.ts";
import { PROFILES } from "../../lib/agents/mod.ts";
import {
  CATCH_UP_CHUNK_BYTES,
  type FeedSource,
  followTranscript,
} from "../../lib/serve/feed.ts";
import { httpErrorOf } from "../../lib/serve/http.ts";
import { sseResponse } from "../../lib/serve/sse.ts";
import { SLOW_CLIENT_CLOSE, websocketFeed } from "../../lib/serve/ws.ts";

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A feed source over one transcript file. */
function fileSource(path: string): FeedSource {
  const profile = PROFILES["tmux-claude-code"];
  return {
    name: profile.name,
    profile,
    transcriptOf: () => Promise.resolve(path),
    getAgentRawThoughtStream: (_id, listener, options = {}) =>
      watchJsonl(path, (entry) => listener(entry.value, entry), {
        fromOffset: options.fromOffset,
      }),
  };
}

/** Writes `mib` MiB of 4 KB entries to a new transcript; returns its path and size. */
async function bigTranscript(
  dir: string,
  mib: number,
): Promise<{ path: string; size: number }> {
  const path = join(dir, "t.jsonl");
  const pad = "p".repeat(4000);
  const line = (i: number) => JSON.stringify({ type: "pad", i, pad }) + "\n";
  const count = Math.ceil(mib * MiB / line(0).length);
  const file = await Deno.open(path, { write: true, create: true });
  const encoder = new TextEncoder();
  for (let i = 0; i < count; i += 1000) {
    const block = Array.from(
      { length: Math.min(1000, count - i) },
      (_, k) => line(i + k),
    ).join("");
    await file.write(encoder.encode(block));
  }
  file.close();
  return { path, size: (await Deno.stat(path)).size };
}

/** A raw client that sends `head` and then reads nothing until drained. */
async function stalledClient(port: number, head: string) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(
    new TextEncoder().encode(head.replaceAll("\n", "\r\n") + "\r\n\r\n"),
  );
  const first = new Uint8Array(256);
  const n = await conn.read(first);
  const status = new TextDecoder().decode(first.subarray(0, n ?? 0))
    .split("\r\n")[0];
  return {
    status,
    conn,
    /** Reads what is left, until the server closes or `ms` pass quietly. */
    async drain(ms = 3_000): Promise<Uint8Array> {
      const chunks: Uint8Array[] = [first.slice(0, n ?? 0)];
      const buffer = new Uint8Array(1024 * 1024);
      while (true) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const got = await Promise.race([
          conn.read(buffer),
          new Promise<"quiet">((r) => timer = setTimeout(() => r("quiet"), ms)),
        ]).catch(() => null);
        clearTimeout(timer);
        if (got === null || got === "quiet") break;
        chunks.push(buffer.slice(0, got));
      }
      try {
        conn.close();
      } catch {
        // closed
      }
      const all = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
      let at = 0;
      for (const c of chunks) all.set(c, (at += c.length) - c.length);
      return all;
    },
  };
}

Deno.test("feed: a catch-up (?from=0) of a 64 MiB transcript that is never read holds about the backlog cap, and its SSE client is dropped and resumes from its last id", async () => {
  const dir = await Deno.makeTempDir({ prefix: "aimax-feed-" });
  const cap = MiB;
  const { path, size } = await bigTranscript(dir, 64);
  const source = fileSource(path);
  let queuedForSse = 0;
  let sseClosed = 0;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, (request) => {
    const url = new URL(request.url);
    const from = Number(url.searchParams.get("from"));
    return sseResponse(
      (sink) =>
        followTranscript(source, "s", {
          from,
          room: () => sink.room(),
          onMessage: (m) => {
            queuedForSse += JSON.stringify(m.data).length;
            sink.send(m.data, m.id);
          },
        }),
      { maxQueueBytes: cap, onClose: () => sseClosed++ },
    );
  });
  const port = server.addr.port;
  const clients: Deno.Conn[] = [];
  try {
    const host = `Host: 127.0.0.1:${port}`;
    // HTTP/1.0: the SSE body is not chunked, so it reads as it was sent.
    const sse = await stalledClient(port, `GET /sse?from=0 HTTP/1.0\n${host}`);
    clients.push(sse.conn);
    assert.match(sse.status, / 200 /);
    // Read nothing for well past the 2 s a client over the cap is given.
    // (Dropped after about 2 s; the margin is for a loaded machine.)
    const deadline = Date.now() + 45_000;
    while (sseClosed === 0 && Date.now() < deadline) await sleep(100);
    assert.equal(sseClosed, 1, "the SSE client that reads nothing is dropped");
    await sleep(500);
    // What was ever queued for it: what the kernel's socket buffers took,
    // plus about the cap and a catch-up piece; not the transcript.
    assert.ok(
      queuedForSse < 40 * MiB,
      `${(queuedForSse / MiB).toFixed(1)} MiB queued of ${size / MiB} MiB`,
    );
    const sseText = new TextDecoder().decode(await sse.drain());
    assert.ok(sseText.length < size / 2, `SSE got ${sseText.length}`);
    // The WebSocket side: the next test.

    // The dropped SSE client resumes from its last complete event and
    // gets the rest, nothing missed or repeated.
    const complete = sseText.lastIndexOf("\n\n");
    const ids = [...sseText.slice(0, complete).matchAll(/^id: (\d+)$/gm)];
    const lastId = Number(ids.at(-1)![1]);
    assert.ok(lastId > 0 && lastId < size, String(lastId));
    const ends: number[] = [];
    const stop = await followTranscript(source, "s", {
      from: lastId,
      onMessage: (m) => ends.push(m.id),
    });
    const waitEnd = Date.now() + 30_000;
    while (ends.at(-1) !== size && Date.now() < waitEnd) await sleep(50);
    await stop();
    assert.equal(ends.at(-1), size);
    assert.ok(ends[0] > lastId);
  } finally {
    for (const conn of clients) {
      try {
        conn.close();
      } catch {
        // drained and closed
      }
    }
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("feed: a catch-up (?from=0) of a 64 MiB transcript on a WebSocket that is never read holds about the backlog cap, and the client is dropped with close code 4008", async () => {
  const dir = await Deno.makeTempDir({ prefix: "aimax-feed-" });
  const cap = MiB;
  const { path, size } = await bigTranscript(dir, 64);
  const source = fileSource(path);
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, (request) => {
    return websocketFeed(request, source, {
      sessionId: "s",
      from: 0,
      maxQueueBytes: cap,
    });
  });
  const port = server.addr.port;
  let ws: Awaited<ReturnType<typeof stalledClient>> | undefined;
  try {
    ws = await stalledClient(
      port,
      `GET /ws HTTP/1.1\nHost: 127.0.0.1:${port}\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13`,
    );
    assert.match(ws.status, / 101 /);
    // Read nothing well past the 2 s a client over the cap is given, then
    // read what the server sent: a part of the transcript, then the close.
    await sleep(8_000);
    const bytes = await ws.drain(5_000);
    assert.ok(
      bytes.length < size / 2,
      `the client was handed ${(bytes.length / MiB).toFixed(1)} MiB of ${
        (size / MiB).toFixed(0)
      } MiB`,
    );
    const code = [SLOW_CLIENT_CLOSE >> 8, SLOW_CLIENT_CLOSE & 0xff];
    const close = bytes.findLastIndex((b, i) =>
      b === 0x88 && bytes[i + 2] === code[0] && bytes[i + 3] === code[1]
    );
    assert.ok(close > 0, "a close frame with code 4008");
  } finally {
    try {
      ws?.conn.close();
    } catch {
      // drained and closed
    }
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("feed: a reader keeps up through a catch-up of many pieces: every entry once, in order, then the live ones", async () => {
  const dir = await Deno.makeTempDir({ prefix: "aimax-feed-" });
  try {
    const { path, size } = await bigTranscript(dir, 3);
    assert.ok(size > 4 * CATCH_UP_CHUNK_BYTES);
    const offsets: number[] = [];
    let ends = 0;
    let rooms = 0;
    const stop = await followTranscript(fileSource(path), "s", {
      from: 0,
      room: () => {
        rooms++;
        return Promise.resolve(true);
      },
      onMessage: (m) => {
        const entry = m.data as { offset: number; end: number };
        offsets.push(entry.offset);
        ends = entry.end;
      },
    });
    await Deno.writeTextFile(path, '{"type":"live"}\n', { append: true });
    const last = size + 16;
    const deadline = Date.now() + 10_000;
    while (ends !== last && Date.now() < deadline) await sleep(20);
    await stop();
    assert.equal(ends, last);
    assert.ok(rooms >= 4, `asked for room ${rooms} times`);
    assert.equal(offsets[0], 0);
    assert.equal(new Set(offsets).size, offsets.length, "none repeated");
    assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("feed: an offset inside an entry or past the end is a 400 with a clear message (never the OS's 'Invalid argument')", async () => {
  const dir = await Deno.makeTempDir({ prefix: "aimax-feed-" });
  try {
    const path = join(dir, "t.jsonl");
    await Deno.writeTextFile(path, '{"a":1}\n{"a":2}\n');
    const source = fileSource(path);
    const refused = async (from: number, pattern: RegExp) => {
      const error = await followTranscript(source, "s", {
        from,
        onMessage: () => {},
      }).then(() => undefined, (e) => e);
      assert.ok(error instanceof RangeError, `${from}: ${error}`);
      assert.match(error.message, pattern);
      assert.doesNotMatch(error.message, /os error/);
      assert.equal(httpErrorOf(error).status, 400);
    };
    await refused(5, /offset 5 is inside an entry/);
    await refused(17, /past the end of the transcript \(16 bytes\)/);
    await refused(999999999999999, /past the end/);
    // Where an entry starts, and the very end, are fine.
    for (const from of [0, 8, 16]) {
      const stop = await followTranscript(source, "s", {
        from,
        onMessage: () => {},
      });
      await stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("feed: a tool call's event says what it does as history does (`Bash: …`), for the page", async () => {
  const path = join(
    import.meta.dirname!,
    "..",
    "fixtures",
    "transcripts",
    "claude.jsonl",
  );
  const calls: { name: string; label: string }[] = [];
  const stop = await followTranscript(fileSource(path), "s", {
    from: 0,
    events: true,
    onMessage: (m) => {
      const event = m.data as { type: string; name: string; label: string };
      if (event.type === "tool_call") calls.push(event);
    },
  });
  await stop();
  assert.ok(calls.length > 0, "the fixture has tool calls");
  for (const call of calls) {
    assert.ok(call.label.startsWith(`${call.name}: `), call.label);
    assert.doesNotMatch(call.label, /[{\n]/);
  }
});
