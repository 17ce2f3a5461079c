/**
 * `aimax serve` over real HTTP and WebSocket against the real Claude Code
 * TUI in an isolated world: the token, the Host and Origin guards, JSON
 * errors, REST create / send / status / history / stop, and SSE and
 * WebSocket clients that disconnect and resume from their last id without
 * missing or repeating an entry; and (over a fake Codex session) the
 * events `onEvent` gets from the server's own follower.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { configFromEnv, setConfig } from "../lib/config.ts";
import { permissionFlags } from "../lib/permissions.ts";
import { resetBackends } from "../lib/registry.ts";
import { serve } from "../lib/serve/server.ts";
import { loadToken, tokensEqual } from "../lib/serve/token.ts";
import type { AgentEvent } from "../lib/signals/events.ts";
import { fakeCodexSessions, useFakeCodex } from "./support/fake_codex.ts";
import {
  api,
  openSse,
  rawRequest,
  SERVE_WORLD,
  type Served,
  TOKEN,
  withServe,
} from "./support/serve_client.ts";
import {
  AGENTS,
  ROOT,
  waitFor,
  type World,
  worldTest,
} from "./support/world.ts";

interface Entry {
  offset: number;
  end: number;
  value: unknown;
}

/** Asserts the entries follow one another from 0 with no gap or repeat. */
function assertContiguous(
  entries: Entry[],
  sentinel: number,
  from = 0,
): void {
  let at = from;
  for (const entry of entries) {
    assert.equal(entry.offset, at, `entry at ${entry.offset}, expected ${at}`);
    at = entry.end;
  }
  assert.equal(at, sentinel);
}

async function sentinelOf(served: Served, id: string): Promise<number> {
  const history = await api(served, `/api/sessions/${id}/history`);
  assert.equal(history.status, 200, JSON.stringify(history.body));
  return history.body.sentinel;
}

async function createSession(world: World, served: Served, id: string) {
  const created = await api(served, "/api/sessions", {
    method: "POST",
    body: {
      backend: world.backend,
      sessionId: id,
      cwd: world.cwd,
      prompt: "hello",
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

Deno.test("serve onEvent: every session's events from the server's own follower, with no client connected, until it stops", async () => {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-serve-on-" }),
  );
  const socket = join(root, "tmux.sock");
  const hub = "aimax_serve_on_hub";
  const world = await fakeCodexSessions(root, {
    n: 1,
    prefix: "o",
    socket,
    hub,
    redraw: true,
  });
  useFakeCodex(world, { root, socket, hub });
  const events: AgentEvent[] = [];
  const server = await serve({
    port: 0,
    token: TOKEN,
    dataDir: world.data,
    checkMs: 200,
    onEvent: (e) => events.push(e),
  });
  try {
    await waitFor(
      "the session read",
      () => events.some((e) => e.type === "state" && e.to === "idle"),
      10_000,
    );
    // A turn runs, and the agent asks.
    const [rollout] = world.transcripts.values();
    await Deno.writeTextFile(
      rollout,
      JSON.stringify({
        timestamp: new Date().toISOString(),
        type: "event_msg",
        payload: { type: "task_started", turn_id: "t1" },
      }) + "\n",
      { append: true },
    );
    await waitFor(
      "the turn to start",
      () => events.some((e) => e.type === "turn_started"),
      10_000,
    );
    await world.show(
      "o0",
      await Deno.readTextFile(
        join(ROOT, "tests/fixtures/screens/codex/0.171.0/approval.txt"),
      ),
    );
    const asked = await waitFor(
      "awaiting_input",
      () => events.find((e) => e.type === "awaiting_input"),
      10_000,
    );
    assert.equal(asked.sessionId, "o0");
    assert.equal(asked.raw, undefined, "without the raw record");
    await server.close();
    const count = events.length;
    await world.show(
      "o0",
      await Deno.readTextFile(
        join(ROOT, "tests/fixtures/screens/codex/0.171.0/ready.txt"),
      ),
    );
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(events.length, count, "nothing after the server stopped");
  } finally {
    await server.close();
    setConfig({});
    resetBackends();
    await world.tmux.killServer();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("serve token: generated once into the data dir with mode 0600; constant-time compare", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const first = await loadToken(join(dir, "data"), {});
    if (first.source === "env") return; // AIMAX_SERVE_TOKEN set outside
    assert.equal(first.source, "generated");
    assert.equal(first.value.length, 64);
    assert.equal((await Deno.stat(first.path!)).mode! & 0o777, 0o600);
    const again = await loadToken(join(dir, "data"), {});
    assert.equal(again.source, "file");
    assert.equal(again.value, first.value);
    assert.ok(tokensEqual(first.value, first.value));
    assert.ok(!tokensEqual(first.value.slice(0, -1) + "x", first.value));
    assert.ok(!tokensEqual("", first.value));
    assert.ok(!tokensEqual(first.value + "x", first.value));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve permissions: --serve HOST:PORT adds --allow-net for that address and AIMAX_SERVE_TOKEN", async () => {
  const config = configFromEnv(() => undefined);
  const plain = await permissionFlags(config);
  assert.ok(!plain.some((f) => f.startsWith("--allow-net")));
  const flags = await permissionFlags(config, { serve: "127.0.0.1:7878" });
  assert.ok(
    flags.some((f) => f.startsWith("--allow-net=127.0.0.1:7878,unix:")),
    flags.join(" "),
  );
  assert.match(
    flags.find((f) => f.startsWith("--allow-env="))!,
    /AIMAX_SERVE_TOKEN/,
  );
  const any = await permissionFlags(config, { serve: "127.0.0.1:0" });
  assert.ok(any.includes("--allow-net=127.0.0.1"));
  await assert.rejects(permissionFlags(config, { serve: ":80" }));
});

worldTest(
  "claude",
  "serve: 401 without or with a wrong token; Host and Origin guards; 4xx JSON for bad JSON, unknown session, invalid id, big body",
  async (world) => {
    await withServe(world, async (served) => {
      const none = await api(served, "/api/sessions", { token: null });
      assert.equal(none.status, 401);
      assert.equal(none.body.error.code, "unauthorized");
      const wrong = await api(served, "/api/sessions", { token: "nope" });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, "unauthorized");
      const stream = await fetch(
        new URL("/api/sessions/x/stream?token=nope", served.url),
      );
      assert.equal(stream.status, 401);
      await stream.body?.cancel();
      // ?token= only where a browser cannot set a header.
      const query = await fetch(
        new URL(`/api/sessions?token=${TOKEN}`, served.url),
      );
      assert.equal(query.status, 401);
      await query.body?.cancel();
      assert.deepEqual((await api(served, "/api/sessions")).body, []);

      // DNS rebinding: a Host that is not the bound address.
      const port = served.port;
      const auth = `Authorization: Bearer ${TOKEN}`;
      assert.match(
        await rawRequest(
          port,
          `GET /api/sessions HTTP/1.1\nHost: evil.example:${port}\n${auth}\nConnection: close`,
        ),
        / 403 /,
      );
      assert.match(
        await rawRequest(
          port,
          `GET / HTTP/1.1\nHost: evil.example:${port}\nConnection: close`,
        ),
        / 403 /,
      );
      assert.match(
        await rawRequest(
          port,
          `GET /api/sessions HTTP/1.1\nHost: localhost:${port}\n${auth}\nConnection: close`,
        ),
        / 200 /,
      );
      // Cross-site: a POST and a WebSocket upgrade from another origin.
      assert.match(
        await rawRequest(
          port,
          `POST /api/sessions HTTP/1.1\nHost: 127.0.0.1:${port}\n${auth}\nOrigin: http://evil.example\nContent-Length: 0\nConnection: close`,
        ),
        / 403 /,
      );
      const upgrade = (origin: string) =>
        rawRequest(
          port,
          `GET /api/sessions/nope/ws?token=${TOKEN} HTTP/1.1\nHost: 127.0.0.1:${port}\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\nOrigin: ${origin}`,
        );
      assert.match(await upgrade("http://evil.example"), / 403 /);
      // Same origin passes the guard (then: no such session).
      assert.match(await upgrade(`http://127.0.0.1:${port}`), / 404 /);

      const bad = await api(served, "/api/sessions", {
        method: "POST",
        raw: "{not json",
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, "bad_json");
      const missing = await api(served, "/api/sessions", {
        method: "POST",
        body: { backend: world.backend },
      });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.code, "invalid_input");
      const unknown = await api(served, "/api/sessions/nobody");
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, "session_not_found");
      const invalid = await api(served, "/api/sessions/..%2Fetc");
      assert.equal(invalid.status, 400);
      assert.equal(invalid.body.error.code, "invalid_input");
      const route = await api(served, "/api/nothing");
      assert.equal(route.status, 404);
      const big = await api(served, "/api/sessions", {
        method: "POST",
        raw: JSON.stringify({ prompt: "x".repeat(2 * 1024 * 1024) }),
      });
      assert.equal(big.status, 413);
      assert.equal(big.body.error.code, "too_large");
      // Nothing was created by any of them.
      assert.equal((await world.tmux(["list-sessions"])).code === 0, false);
    });
  },
  SERVE_WORLD,
);

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} serve: create 201 (409 again), send (wait returns the answer), status has state, history, screen, SSE resumes from Last-Event-ID with nothing missed or repeated, stop`,
    async (world) => {
      await withServe(world, async (served) => {
        await createSession(world, served, "r1");
        const again = await api(served, "/api/sessions", {
          method: "POST",
          body: {
            backend: world.backend,
            sessionId: "r1",
            cwd: world.cwd,
            prompt: "hello",
          },
        });
        assert.equal(again.status, 409, JSON.stringify(again.body));
        assert.equal(again.body.error.code, "session_exists");

        const one = await api(served, "/api/sessions/r1/send", {
          method: "POST",
          body: { prompt: "one", wait: true },
        });
        assert.equal(one.status, 200, JSON.stringify(one.body));
        assert.equal(one.body.outcome, "completed");
        assert.equal(one.body.text, "ack: one");
        // `wait` on an idle session ends at once with its last answer.
        const waited = await api(served, "/api/sessions/r1/wait", {
          method: "POST",
          body: { timeout: 30 },
        });
        assert.equal(waited.status, 200, JSON.stringify(waited.body));
        assert.equal(waited.body.outcome, "completed");
        assert.equal(waited.body.text, "ack: one");
        const noBody = await api(served, "/api/sessions/r1/wait", {
          method: "POST",
        });
        assert.equal(noBody.body.outcome, "completed");
        const badWait = await api(served, "/api/sessions/r1/wait", {
          method: "POST",
          body: { timeout: "soon" },
        });
        assert.equal(badWait.status, 400);
        assert.equal(
          (await api(served, "/api/sessions/r1/wait")).status,
          405,
        );
        const status = await api(served, "/api/sessions/r1");
        assert.equal(status.status, 200);
        assert.equal(status.body.state, "idle");
        assert.equal(status.body.sessionId, "r1");
        const list = await api(served, "/api/sessions");
        assert.deepEqual(
          list.body.map((s: { sessionId: string }) => s.sessionId),
          [
            "r1",
          ],
        );
        const screen = await api(served, "/api/sessions/r1/screen");
        assert.equal(screen.status, 200);
        assert.match(screen.body.screen, /ack: one/);
        const limited = await api(served, "/api/sessions/r1/history?limit=2");
        assert.equal(limited.body.entries.length, 2);
        const badLimit = await api(served, "/api/sessions/r1/history?limit=x");
        assert.equal(badLimit.status, 400);

        // SSE from 0 until caught up, then disconnect.
        const first = await openSse(served, "/api/sessions/r1/stream?from=0");
        assert.equal(first.status, 200);
        const caughtUp = await sentinelOf(served, "r1");
        await waitFor(
          "the first SSE client to catch up",
          () => first.events.at(-1)?.data.end === caughtUp,
        );
        await first.close();
        const firstEntries = first.events.map((e) => e.data as Entry);
        for (const e of first.events) assert.equal(Number(e.id), e.data.end);
        const lastId = first.events.at(-1)!.id!;

        // While no client follows: a turn happens.
        const two = await api(served, "/api/sessions/r1/send", {
          method: "POST",
          body: { prompt: "two", wait: true },
        });
        assert.equal(two.body.text, "ack: two");
        // Resume from the last id; then a turn while following.
        const second = await openSse(served, "/api/sessions/r1/stream", {
          lastEventId: lastId,
        });
        // "three" runs for 2 s; "four", sent meanwhile, queues behind it:
        // its wait ends with its own turn, not with the end of "three".
        const queued = await api(served, "/api/sessions/r1/send", {
          method: "POST",
          body: {
            prompt: "three [[slow 2]] [[say ack: three]]",
            mode: "queue",
          },
        });
        assert.equal(queued.status, 200, JSON.stringify(queued.body));
        assert.equal(queued.body.sent, true);
        const done = await api(served, "/api/sessions/r1/send", {
          method: "POST",
          body: { prompt: "four", wait: true },
        });
        assert.equal(done.body.outcome, "completed");
        assert.equal(done.body.text, "ack: four");
        const end = await sentinelOf(served, "r1");
        await waitFor(
          "the resumed SSE client to see every entry",
          () => second.events.at(-1)?.data.end === end,
          30_000,
        );
        await second.close();
        const all = [...firstEntries, ...second.events.map((e) => e.data)];
        assertContiguous(all, end);
        const text = JSON.stringify(second.events.map((e) => e.data.value));
        for (const word of ["ack: two", "ack: three", "ack: four"]) {
          assert.ok(text.includes(word), word);
        }

        // Events mode: normalised, with `end`.
        const events = await openSse(
          served,
          "/api/sessions/r1/stream?events=1&from=0",
        );
        // Up to the last turn's end (an agent may write records that are no
        // event after it: Copilot's hook bookkeeping).
        await waitFor(
          "events up to the last turn's end",
          () =>
            events.events.some((e) =>
              e.data.type === "turn_completed" && e.data.text === "ack: four"
            ),
        );
        assert.ok(events.events.every((e) => e.data.end <= end));
        await events.close();
        const types = events.events.map((e) => e.data.type);
        assert.ok(types.includes("user_message"), types.join(" "));
        assert.ok(types.includes("assistant_message"), types.join(" "));
        assert.ok(events.events.every((e) => e.data.raw === undefined));

        const stopped = await api(served, "/api/sessions/r1", {
          method: "DELETE",
        });
        assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
        assert.equal(stopped.body.killed, true);
        assert.equal((await api(served, "/api/sessions/r1")).status, 404);
      });
    },
    SERVE_WORLD,
  );
}

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} serve: a WebSocket client resumes with ?from= its last end and misses and repeats nothing; /api/events reports state changes`,
    async (world) => {
      await withServe(world, async (served) => {
        const events = await openSse(served, "/api/events");
        await createSession(world, served, "w1");
        await api(served, "/api/sessions/w1/send", {
          method: "POST",
          body: { prompt: "one", wait: true },
        });
        const wsUrl = (from: number) =>
          `${
            served.url.replace("http", "ws")
          }api/sessions/w1/ws?from=${from}&token=${TOKEN}`;
        const open = (from: number) => {
          const socket = new WebSocket(wsUrl(from));
          const got: Entry[] = [];
          socket.onmessage = (m) => got.push(JSON.parse(m.data));
          return { socket, got };
        };
        const first = open(0);
        const caughtUp = await sentinelOf(served, "w1");
        await waitFor(
          "the first WebSocket client to catch up",
          // At least: Claude Code 2.1.332 may append records of its own.
          () => (first.got.at(-1)?.end ?? 0) >= caughtUp,
        );
        const closed = new Promise((r) => first.socket.onclose = r);
        first.socket.close();
        await closed;
        await api(served, "/api/sessions/w1/send", {
          method: "POST",
          body: { prompt: "two", wait: true },
        });
        const second = open(first.got.at(-1)!.end);
        await api(served, "/api/sessions/w1/send", {
          method: "POST",
          body: { prompt: "three", wait: true },
        });
        const end = await sentinelOf(served, "w1");
        await waitFor(
          "the resumed WebSocket client to see every entry",
          () => second.got.at(-1)?.end === end,
        );
        const closed2 = new Promise((r) => second.socket.onclose = r);
        second.socket.close();
        await closed2;
        assertContiguous([...first.got, ...second.got], end);
        const text = JSON.stringify(second.got.map((e) => e.value));
        assert.ok(text.includes("ack: two") && text.includes("ack: three"));

        await waitFor(
          "/api/events to report w1 working then idle",
          () => {
            const to = events.events.filter((e) =>
              e.data.type === "state" && e.data.sessionId === "w1"
            ).map((e) => e.data.to);
            return to.includes("working") && to.lastIndexOf("idle") >
                to.indexOf("working");
          },
        );
        await events.close();
      });
    },
    SERVE_WORLD,
  );
}

/** A client that connects and then never reads: what it got, when it ends. */
async function stalledClient(port: number, head: string) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(
    new TextEncoder().encode(head.replaceAll("\n", "\r\n") + "\r\n\r\n"),
  );
  const first = new Uint8Array(256);
  const n = await conn.read(first); // the status line, then nothing more
  const status = new TextDecoder().decode(first.subarray(0, n ?? 0))
    .split("\r\n")[0];
  return {
    status,
    /**
     * Reads what was queued for it until the server ends the connection (or
     * sends nothing more for 3 s: a WebSocket server waits for the client's
     * close frame).
     */
    async drain(): Promise<Uint8Array> {
      const chunks: Uint8Array[] = [first.subarray(0, n ?? 0)];
      const buffer = new Uint8Array(1 << 16);
      while (true) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const quiet = new Promise<"quiet">((r) =>
          timer = setTimeout(() => r("quiet"), 3_000)
        );
        const got = await Promise.race([
          conn.read(buffer).catch(() => null),
          quiet,
        ]);
        clearTimeout(timer);
        if (got === null || got === "quiet") break;
        chunks.push(buffer.slice(0, got));
      }
      conn.close();
      const all = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
      let at = 0;
      for (const c of chunks) all.set(c, (at += c.length) - c.length);
      return all;
    },
  };
}

worldTest(
  "claude",
  "serve: a client that stops reading while 4 MiB behind is dropped (SSE ends, WebSocket closes 4008) while one that reads gets all of a 24 MiB burst; the dropped one resumes from its last id and misses nothing",
  async (world) => {
    await withServe(world, async (served) => {
      await createSession(world, served, "s1");
      const status = await api(served, "/api/sessions/s1");
      const path = status.body.jsonlPath as string;
      const from = await sentinelOf(served, "s1");
      const fast = await openSse(
        served,
        `/api/sessions/s1/stream?from=${from}`,
      );
      const host = `Host: 127.0.0.1:${served.port}`;
      // HTTP/1.0: the SSE body is not chunked, so it reads as it was sent.
      const sse = await stalledClient(
        served.port,
        `GET /api/sessions/s1/stream?from=${from}&token=${TOKEN} HTTP/1.0\n${host}`,
      );
      const ws = await stalledClient(
        served.port,
        `GET /api/sessions/s1/ws?from=${from}&token=${TOKEN} HTTP/1.1\n${host}\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13`,
      );
      assert.match(sse.status, / 200 /);
      assert.match(ws.status, / 101 /);

      // 24 MiB of entries, far more than the kernel's socket buffers and
      // the 4 MiB cap together.
      const pad = "p".repeat(4000);
      const lines = Array.from(
        { length: 6000 },
        (_, i) => JSON.stringify({ type: "bench-pad", i, pad }) + "\n",
      );
      await Deno.writeTextFile(path, lines.join(""), { append: true });
      const burst = (await Deno.stat(path)).size;
      // At least the burst: the agent may write records of its own too.
      await waitFor(
        "the reading client to get all of the burst",
        () => (fast.events.at(-1)?.data.end ?? 0) >= burst,
        60_000,
      );
      // The stalled clients read nothing for longer than the 2 s a client
      // more than 4 MiB behind is given: both are dropped. What comes next
      // reaches the reading client only.
      await new Promise((r) => setTimeout(r, 3_500));
      await Deno.writeTextFile(
        path,
        JSON.stringify({ type: "bench-pad", after: "after-the-drop" }) + "\n",
        { append: true },
      );
      const end = (await Deno.stat(path)).size;
      await waitFor(
        "the reading client to get the last entry",
        () => (fast.events.at(-1)?.data.end ?? 0) >= end,
      );
      await fast.close();
      assertContiguous(
        fast.events.map((e) => e.data as Entry),
        fast.events.at(-1)!.data.end,
        from,
      );

      const sseText = new TextDecoder().decode(await sse.drain());
      const wsBytes = await ws.drain();
      const wsText = new TextDecoder().decode(wsBytes);
      assert.ok(!sseText.includes("after-the-drop"), "SSE was dropped");
      assert.ok(!wsText.includes("after-the-drop"), "WebSocket was dropped");
      // The SSE stream was cut short; the WebSocket ends with a close frame
      // with code 4008 (what waited for it in the server was discarded).
      assert.ok(sseText.length < burst - from, `SSE got ${sseText.length}`);
      const close = wsBytes.findLastIndex((b, i) =>
        b === 0x88 && wsBytes[i + 2] === 0x0f && wsBytes[i + 3] === 0xa8
      );
      assert.ok(close > 0, "a close frame with code 4008");

      // The dropped SSE client resumes from its last complete event.
      const ids = [...sseText.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]);
      const complete = sseText.lastIndexOf("\n\n");
      const lastId = ids.filter((id) =>
        sseText.indexOf(`id: ${id}\n`) < complete
      ).at(-1)!;
      assert.ok(Number(lastId) > from && Number(lastId) < burst, lastId);
      const resumed = await openSse(served, "/api/sessions/s1/stream", {
        lastEventId: lastId,
      });
      await waitFor(
        "the resumed client to catch up",
        () => (resumed.events.at(-1)?.data.end ?? 0) >= end,
        60_000,
      );
      await resumed.close();
      assertContiguous(
        resumed.events.map((e) => e.data as Entry),
        resumed.events.at(-1)!.data.end,
        Number(lastId),
      );
    });
  },
  SERVE_WORLD,
);
