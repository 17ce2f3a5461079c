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
import { ROOT } from "../support/world.ts";

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
      ...(Deno.env.get("DENO_DIR")
        ? { DENO_DIR: Deno.env.get("DENO_DIR")! }
        : {}),
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
      return Response.json({ sessionId: "demo", backend: "tmux-claude-code" });
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
