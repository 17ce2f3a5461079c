/**
 * The remote CLI against hostile or broken servers, written here: the real
 * `aimax` in its own process, pointed with `--server` at a fake server on
 * 127.0.0.1 (`Deno.serve`, or `Deno.listen` for servers that stall). What
 * it proves: a server's text never reaches the terminal raw, no request
 * waits forever, a stream that is not one gives up after a few tries, and a
 * malformed or huge answer is a clear error (exit 1), never a TypeError or
 * a success.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { callerDenoDir, ROOT } from "../support/world.ts";

/** A text that would write the clipboard, clear the screen and set the title. */
const HOSTILE = "gone\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b]0;pwned\x07\x9b31m!";

/** What one run of the CLI printed, and how long it took. */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

const decoder = new TextDecoder();

/**
 * Runs `aimax ARGS --server URL` in its own process with an empty HOME and
 * data dir; killed after `killMs` (the test then fails on its exit code).
 */
async function aimax(
  url: string,
  args: string[],
  options: { env?: Record<string, string>; killMs?: number } = {},
): Promise<Run> {
  const root = await Deno.makeTempDir({ prefix: "aimax-hostile-" });
  const started = Date.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", join(ROOT, "cli.ts"), ...args],
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: join(root, "home"),
      AIMAX_DATA_DIR: join(root, "data"),
      AIMAX_TMUX_SOCKET: join(root, "tmux.sock"),
      AIMAX_SERVER: url,
      AIMAX_SERVE_TOKEN: "tok",
      NO_COLOR: "1",
      DENO_DIR: await callerDenoDir(),
      ...options.env,
    },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, options.killMs ?? 30_000);
  try {
    const output = await child.output();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      ms: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

/** A fake server answering with `handler`; closed by the returned function. */
function fakeServer(
  handler: (request: Request) => Response | Promise<Response>,
): { url: string; close: () => Promise<void> } {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    handler,
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    close: () => server.shutdown(),
  };
}

/** Neither ESC, BEL nor a C1 control: nothing a terminal would obey. */
function assertInert(text: string, label: string): void {
  assert.ok(!CONTROL.test(text), `${label}: ${JSON.stringify(text)}`);
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

Deno.test("hostile server: an error answer's message reaches stderr with its escape sequences made visible (404 with OSC 52, ESC[2J and a title)", async () => {
  const server = fakeServer(() =>
    Response.json(
      { error: { code: "session_not_found", message: HOSTILE } },
      { status: 404 },
    )
  );
  try {
    const run = await aimax(server.url, ["status", "-s", "demo"]);
    assert.equal(run.code, 3, run.stderr);
    assertInert(run.stderr, "stderr");
    assert.match(run.stderr, /^aimax: gone\?\]52;c;cm0gLXJmIH4=\?\?\[2J/);
  } finally {
    await server.close();
  }
});

Deno.test("hostile server: the dialog and screen of a 423 reach stderr made visible", async () => {
  const server = fakeServer((request) => {
    if (request.method === "GET") {
      return Response.json({
        sessionId: "demo",
        backend: "tmux-claude-code",
        state: "idle",
      });
    }
    return Response.json({
      error: {
        code: "awaiting_input",
        message: `waits ${HOSTILE}`,
        dialog: `Allow? ${HOSTILE}`,
        screen: `line 1\n${HOSTILE}\r\nline 3\rover`,
      },
    }, { status: 423 });
  });
  try {
    const run = await aimax(server.url, ["send", "-s", "demo", "-p", "hi"]);
    assert.equal(run.code, 5, run.stderr);
    assertInert(run.stderr, "stderr");
    assert.ok(run.stderr.includes("Allow? gone?]52;c;"), run.stderr);
  } finally {
    await server.close();
  }
});

Deno.test("hostile server: screen, status, history and events print a server's text made visible", async () => {
  const encoder = new TextEncoder();
  const status = {
    sessionId: "demo",
    backend: "tmux-claude-code",
    state: "awaiting_input",
    stateReason: HOSTILE,
    dialog: HOSTILE,
    alive: true,
    windowId: "@1",
    paneId: "%1",
    cwd: "/tmp",
    agentSessionId: HOSTILE,
  };
  const server = fakeServer((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/sessions/demo/screen") {
      return Response.json({
        sessionId: "demo",
        screen: HOSTILE,
        state: "idle",
      });
    }
    if (path === "/api/sessions/demo/history") {
      const value = {
        type: "user",
        message: { role: "user", content: `ask ${HOSTILE}` },
      };
      return Response.json({
        entries: [{ offset: 0, end: 10, value }],
        total: 1,
        truncated: false,
        sentinel: 10,
      });
    }
    if (path === "/api/events") {
      const event = {
        type: "assistant_message",
        sessionId: "demo",
        backend: "tmux-claude-code",
        at: "",
        text: HOSTILE,
      };
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(
              encoder.encode(`data: ${JSON.stringify(event)}\n\n`),
            );
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    }
    return Response.json(status);
  });
  try {
    for (
      const args of [
        ["screen", "-s", "demo"],
        ["status", "-s", "demo"],
        ["history", "-s", "demo"],
      ]
    ) {
      const run = await aimax(server.url, args);
      assert.equal(run.code, 0, `${args[0]}: ${run.stderr}`);
      assertInert(run.stdout, args[0]);
      assert.ok(run.stdout.includes("gone?]52;c;"), run.stdout);
    }
    const events = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", join(ROOT, "cli.ts"), "events"],
      env: { AIMAX_SERVER: server.url, AIMAX_SERVE_TOKEN: "tok" },
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = events.stdout.getReader();
    let out = "";
    while (!out.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += decoder.decode(value);
    }
    events.kill("SIGTERM");
    reader.releaseLock();
    await events.stdout.cancel();
    await events.status;
    assertInert(out, "events");
    assert.ok(out.includes("demo assistant: gone?]52;c;"), out);
  } finally {
    await server.close();
  }
});

/** A TCP server that accepts and never answers, or sends headers and stalls. */
function stallingServer(mode: "silent" | "headers"): {
  url: string;
  close: () => void;
} {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      if (mode === "headers") {
        // After the request, as a server does.
        await conn.read(new Uint8Array(64 * 1024)).catch(() => null);
        await conn.write(
          new TextEncoder().encode(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n[",
          ),
        ).catch(() => {});
      }
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    close: () => {
      for (const conn of conns) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      listener.close();
    },
  };
}

const B = ["-b", "tmux-claude-code"];

Deno.test("hostile server: list, status, send, wait, stream and events against a server that accepts and never answers end after the timeout with one line and exit 1", async () => {
  const stalled = stallingServer("silent");
  try {
    const runs = [];
    for (
      const args of [
        ["list"],
        ["status", "-s", "demo"],
        ["send", "-s", "demo", "-p", "hi"],
        ["send", ...B, "-s", "demo", "-p", "hi"],
        ["wait", ...B, "-s", "demo"],
        ["stream", ...B, "-s", "demo"],
        ["events"],
      ]
    ) {
      const run = await aimax(stalled.url, args, {
        env: { AIMAX_SERVER_TIMEOUT: "1" },
      });
      runs.push({ args, run });
    }
    for (const { args, run } of runs) {
      const label = `${args.join(" ")}: ${run.stderr}`;
      assert.equal(run.code, 1, label);
      assert.match(
        run.stderr,
        /^aimax: the server at http:\/\/127\.0\.0\.1:\d+ (did not answer within 1 s|stopped answering: no answer in 1 s, and none to a check \(GET [^)]+\) either) \(--server-timeout \/ AIMAX_SERVER_TIMEOUT\)\n$/,
        label,
      );
      assert.ok(run.ms < 8_000, `${label}: ${run.ms} ms`);
    }
  } finally {
    stalled.close();
  }
});

Deno.test("hostile server: wait --timeout 2 against a server that never answers gives up at its timeout plus the margin (exit 1), whatever the server timeout", async () => {
  const stalled = stallingServer("silent");
  try {
    const run = await aimax(stalled.url, [
      "wait",
      ...B,
      "-s",
      "demo",
      "--timeout",
      "2",
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /^aimax: the server at .* did not answer within 7 s/,
    );
    assert.ok(run.ms >= 6_500 && run.ms < 12_000, `${run.ms} ms`);
  } finally {
    stalled.close();
  }
});

Deno.test("hostile server: an answer whose headers come and then nothing ends when it is silent for the timeout (exit 1)", async () => {
  const stalled = stallingServer("headers");
  try {
    const run = await aimax(stalled.url, ["list", "--server-timeout", "1"]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /^aimax: the server at .* fell silent: nothing for 1 s in its answer/,
    );
  } finally {
    stalled.close();
  }
});

/** A fake server whose every stream answers `body` as `type`. */
function streamServer(body: string, type = "text/event-stream") {
  let connections = 0;
  const server = fakeServer((request) => {
    const path = new URL(request.url).pathname;
    if (!path.endsWith("/stream") && path !== "/api/events") {
      return Response.json({
        sessionId: "demo",
        backend: "tmux-claude-code",
        state: "idle",
      });
    }
    connections++;
    return new Response(body, { headers: { "content-type": type } });
  });
  return { ...server, connections: () => connections };
}

for (
  const [what, body] of [
    ["a message that is not JSON", "data: {not json\n\n"],
    ["an empty stream", ""],
  ]
) {
  Deno.test(`hostile server: stream and events against ${what} give up after 5 tries with backoff, one line each, exit 1`, async () => {
    const server = streamServer(body);
    try {
      for (const args of [["stream", ...B, "-s", "demo"], ["events"]]) {
        const before = server.connections();
        const run = await aimax(server.url, args);
        const label = `${args[0]}: ${run.stderr}`;
        assert.equal(run.code, 1, label);
        const lines = run.stderr.trimEnd().split("\n");
        assert.match(
          lines.at(-1)!,
          /^aimax: the event stream of the server at .* failed 5 times in a row; the last time: /,
          label,
        );
        assert.equal(
          lines.filter((l) => /trying again in/.test(l)).length,
          4,
          label,
        );
        assert.equal(server.connections() - before, 5, label);
        // Pauses of 0.5, 1, 2 and 4 s between the tries.
        assert.ok(run.ms >= 7_000 && run.ms < 20_000, `${label} ${run.ms}`);
      }
    } finally {
      await server.close();
    }
  });
}

Deno.test("hostile server: a stream answered with a web page (a wrong --server) is refused at once, exit 1", async () => {
  const server = streamServer("<html>another service</html>", "text/html");
  try {
    const run = await aimax(server.url, ["stream", ...B, "-s", "demo"]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /^aimax: the server at .* answered "text\/html", not an event stream/,
    );
    assert.equal(server.connections(), 1);
  } finally {
    await server.close();
  }
});

Deno.test('hostile server: answers of the wrong shape are one line and exit 1, never a TypeError nor a success (list {rows: 5}, send [], wait {outcome: done}, status "x", history)', async () => {
  const answers: Record<string, unknown> = {
    "GET /api/sessions": { rows: 5 },
    "POST /api/sessions/demo/send": [],
    "POST /api/sessions/demo/wait": {
      outcome: "done",
      state: "idle",
      text: "",
      durationMs: 1,
    },
    "GET /api/sessions/demo": "x",
    "GET /api/sessions/demo/history": { entries: "none", total: 0 },
  };
  const server = fakeServer((request) =>
    Response.json(
      answers[`${request.method} ${new URL(request.url).pathname}`] ?? {},
    )
  );
  try {
    for (
      const args of [
        ["list"],
        ["send", ...B, "-s", "demo", "-p", "hi"],
        ["wait", ...B, "-s", "demo"],
        ["status", ...B, "-s", "demo"],
        ["history", ...B, "-s", "demo"],
      ]
    ) {
      const run = await aimax(server.url, args);
      const label = `${args[0]}: ${run.stderr}`;
      assert.equal(run.code, 1, label);
      assert.match(
        run.stderr,
        /^aimax: the server at .* answered a [a-z ]+ of the wrong shape \(.+\); is it an aimax server of this version\?\n$/,
        label,
      );
      assert.ok(!/TypeError|is not a function/.test(run.stderr), label);
    }
  } finally {
    await server.close();
  }
});

Deno.test("hostile server: --json output carries no control character (C1 and DEL escaped too) and parses back to the server's text", async () => {
  const status = {
    sessionId: "demo",
    backend: "tmux-claude-code",
    state: "idle",
    stateReason: HOSTILE,
  };
  const server = fakeServer(() => Response.json(status));
  try {
    const run = await aimax(server.url, ["status", "-s", "demo", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    assertInert(run.stdout.trimEnd(), "stdout");
    assert.equal(JSON.parse(run.stdout).stateReason, HOSTILE);
  } finally {
    await server.close();
  }
});

/** A TCP server that sends a JSON answer's headers and then a byte every 300 ms. */
function tricklingServer(): { url: string; close: () => void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const encoder = new TextEncoder();
  (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      (async () => {
        await conn.read(new Uint8Array(65_536));
        await conn.write(encoder.encode(
          "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000000\r\n\r\n[",
        ));
        for (;;) {
          await new Promise((r) => setTimeout(r, 300));
          await conn.write(encoder.encode(" "));
        }
      })().catch(() => {});
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    close: () => {
      for (const conn of conns) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      listener.close();
    },
  };
}

Deno.test("hostile server: an answer that trickles in a byte at a time (never silent for the timeout) ends soon after the timeout with one line, exit 1", async () => {
  const trickling = tricklingServer();
  try {
    for (const args of [["list"], ["status", "-s", "demo"]]) {
      const run = await aimax(trickling.url, args, {
        env: { AIMAX_SERVER_TIMEOUT: "1" },
        killMs: 20_000,
      });
      const label = `${args[0]}: ${run.stderr}`;
      assert.equal(run.code, 1, label);
      assert.match(
        run.stderr,
        /^aimax: the server at .* trickled its answer: \d+ bytes in 1\.\d s, slower than 64 KiB\/s past the timeout \(--server-timeout \/ AIMAX_SERVER_TIMEOUT\)\n$/,
        label,
      );
    }
  } finally {
    trickling.close();
  }
});

Deno.test("hostile server: an error answer of the wrong shape (a 423 whose dialog is a number) is its own error, never a TypeError", async () => {
  const server = fakeServer(() =>
    Response.json({
      error: {
        code: "awaiting_input",
        message: "waits",
        dialog: 5,
        screen: {},
      },
    }, { status: 423 })
  );
  try {
    const run = await aimax(server.url, ["send", "-s", "demo", "-p", "hi"]);
    assert.equal(run.code, 5, run.stderr);
    assert.doesNotMatch(run.stderr, /is not a function|TypeError/);
    assert.match(run.stderr, /^aimax: waits\n/);
  } finally {
    await server.close();
  }
});

Deno.test("hostile server: the screen of a 409 no_input_box reaches stderr (made visible) and --json, as it does locally", async () => {
  const server = fakeServer(() =>
    Response.json({
      error: {
        code: "no_input_box",
        message: "Claude Code shows no input box",
        screen: `! ls\n${HOSTILE}`,
      },
    }, { status: 409 })
  );
  try {
    const run = await aimax(server.url, ["send", "-s", "demo", "-p", "hi"]);
    assert.equal(run.code, 1, run.stderr);
    assertInert(run.stderr, "stderr");
    assert.match(
      run.stderr,
      /^aimax: Claude Code shows no input box\n--- screen ---\n! ls\ngone\?\]52;/,
    );
    const json = await aimax(server.url, [
      "send",
      "-s",
      "demo",
      "-p",
      "hi",
      "--json",
    ]);
    assert.equal(json.code, 1, json.stderr);
    const { error } = JSON.parse(json.stdout);
    assert.equal(error.code, "no_input_box", json.stdout);
    assert.equal(error.screen, `! ls\n${HOSTILE}`);
  } finally {
    await server.close();
  }
});
