import assert from "node:assert/strict";
import { startAnthropicStub } from "../offline/anthropic_stub.ts";
import { prepareClaudeHome } from "../offline/claude_home.ts";
import { waitForExit } from "./support/world.ts";

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(text: string): SseEvent[] {
  return text.split("\n\n").filter((chunk) => chunk.trim() !== "").map(
    (chunk) => {
      const lines = chunk.split("\n");
      const event = lines.find((line) => line.startsWith("event: "))!.slice(7);
      const data = lines.find((line) => line.startsWith("data: "))!.slice(6);
      return { event, data: JSON.parse(data) };
    },
  );
}

function textOf(events: SseEvent[]): string {
  return events.filter((e) => e.event === "content_block_delta").map((e) => {
    const delta = e.data.delta as { text?: string };
    return delta.text ?? "";
  }).join("");
}

function stopReason(events: SseEvent[]): unknown {
  const delta = events.find((e) => e.event === "message_delta")!;
  return (delta.data.delta as { stop_reason: unknown }).stop_reason;
}

const TOOLS = [{ name: "Bash", input_schema: { type: "object" } }];

async function post(
  url: string,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Response> {
  return await fetch(`${url}/v1/messages?beta=true`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "stub-model", ...body }),
    signal,
  });
}

async function stream(
  url: string,
  messages: unknown[],
  tools: unknown[] = TOOLS,
): Promise<SseEvent[]> {
  const response = await post(url, { messages, tools, stream: true });
  assert.equal(response.status, 200);
  assert.match(
    response.headers.get("content-type") ?? "",
    /text\/event-stream/,
  );
  return parseSse(await response.text());
}

Deno.test("stub answers a prompt with ack text in proper SSE order", async () => {
  const stub = await startAnthropicStub();
  try {
    const events = await stream(stub.url, [
      {
        role: "user",
        content: [
          {
            type: "text",
            text: "<system-reminder>\nignore me\n</system-reminder>\n",
          },
          { type: "text", text: "hello there\nsecond line" },
        ],
      },
      { role: "system", content: "system chatter" },
    ]);
    const names = events.map((e) => e.event);
    assert.equal(names[0], "message_start");
    assert.equal(names[1], "content_block_start");
    assert.ok(names.filter((n) => n === "content_block_delta").length >= 2);
    assert.deepEqual(names.slice(-3), [
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    assert.equal(textOf(events), "ack: hello there");
    assert.equal(stopReason(events), "end_turn");
    const delta = events.find((e) => e.event === "message_delta")!;
    assert.ok(
      (delta.data.usage as { output_tokens: number }).output_tokens > 0,
    );
    assert.deepEqual(stub.prompts(), ["hello there\nsecond line"]);
    assert.equal(stub.requests.length, 1);
    assert.equal(stub.requests[0].path, "/v1/messages?beta=true");
  } finally {
    await stub.close();
  }
});

Deno.test("stub answers probes, titles and non-streaming requests", async () => {
  const stub = await startAnthropicStub();
  try {
    const head = await fetch(`${stub.url}/`, { method: "HEAD" });
    await head.body?.cancel();
    assert.equal(head.status, 200);
    const get = await fetch(`${stub.url}/`);
    await get.text();
    assert.equal(get.status, 200);

    const title = await stream(stub.url, [{
      role: "user",
      content: [{ type: "text", text: "<session>\nhi\n</session>\n" }],
    }], []);
    const parsed = JSON.parse(textOf(title));
    assert.equal(typeof parsed.title, "string");

    const plain = await post(stub.url, {
      messages: [{ role: "user", content: "plain one" }],
      tools: TOOLS,
    });
    const message = await plain.json();
    assert.equal(message.type, "message");
    assert.equal(message.stop_reason, "end_turn");
    assert.deepEqual(message.content, [{
      type: "text",
      text: "ack: plain one",
    }]);
    assert.deepEqual(stub.prompts(), ["plain one"]);
  } finally {
    await stub.close();
  }
});

Deno.test("stub [[bash CMD]] calls the Bash tool, then says tool done", async () => {
  const stub = await startAnthropicStub();
  try {
    const prompt = { role: "user", content: "please [[bash touch a b.txt]]" };
    const first = await stream(stub.url, [prompt]);
    const start = first.find((e) => e.event === "content_block_start")!;
    const block = start.data.content_block as { type: string; id: string };
    assert.equal(block.type, "tool_use");
    const json = first.filter((e) => e.event === "content_block_delta").map(
      (e) => (e.data.delta as { partial_json: string }).partial_json,
    ).join("");
    const input = JSON.parse(json);
    assert.deepEqual(input, {
      command: "touch a b.txt",
      description: "run command",
    });
    assert.equal(stopReason(first), "tool_use");

    const second = await stream(stub.url, [
      prompt,
      {
        role: "assistant",
        content: [{ type: "tool_use", id: block.id, name: "Bash", input }],
      },
      {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: block.id,
          content: "(Bash completed with no output)",
        }],
      },
    ]);
    assert.equal(textOf(second), "tool done");
    assert.equal(stopReason(second), "end_turn");
    assert.deepEqual(stub.prompts(), ["please [[bash touch a b.txt]]"]);
  } finally {
    await stub.close();
  }
});

Deno.test("stub [[slow N]] spreads the reply over N seconds", async () => {
  const stub = await startAnthropicStub();
  try {
    const started = Date.now();
    const events = await stream(stub.url, [{
      role: "user",
      content: "go [[slow 1]]",
    }]);
    assert.ok(Date.now() - started >= 900);
    assert.ok(
      events.filter((e) => e.event === "content_block_delta").length > 3,
    );
    assert.match(textOf(events), /slow done$/);
  } finally {
    await stub.close();
  }
});

Deno.test("stub survives a client abort mid-stream", async () => {
  const stub = await startAnthropicStub();
  try {
    const controller = new AbortController();
    const response = await post(stub.url, {
      messages: [{ role: "user", content: "go [[slow 5]]" }],
      tools: TOOLS,
      stream: true,
    }, controller.signal);
    const reader = response.body!.getReader();
    const first = await reader.read();
    assert.ok(!first.done);
    controller.abort();
    await reader.cancel().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 600));
    const events = await stream(stub.url, [{ role: "user", content: "again" }]);
    assert.equal(textOf(events), "ack: again");
  } finally {
    await stub.close();
  }
});

Deno.test("stub [[say TEXT]] replies TEXT literally", async () => {
  const stub = await startAnthropicStub();
  try {
    const events = await stream(stub.url, [{
      role: "user",
      content: "x [[say Working on it… done.]] y",
    }]);
    assert.equal(textOf(events), "Working on it… done.");
  } finally {
    await stub.close();
  }
});

function toolCall(events: SseEvent[]): { name: string; input: unknown } {
  const start = events.find((e) => e.event === "content_block_start")!;
  const block = start.data.content_block as { type: string; name: string };
  assert.equal(block.type, "tool_use");
  const json = events.filter((e) => e.event === "content_block_delta").map(
    (e) => (e.data.delta as { partial_json: string }).partial_json,
  ).join("");
  return { name: block.name, input: JSON.parse(json) };
}

Deno.test("stub [[todo]] makes a 3-item todo list with the offered tool", async () => {
  const stub = await startAnthropicStub();
  try {
    const prompt = { role: "user", content: "plan [[todo]]" };
    const tasks = ["TaskCreate", "TaskUpdate"].map((name) => ({
      name,
      input_schema: { type: "object" },
    }));
    const history: unknown[] = [prompt];
    const names: string[] = [];
    for (let i = 0; i < 4; i++) {
      const call = toolCall(await stream(stub.url, history, tasks));
      names.push(call.name);
      const id = `toolu_${i}`;
      history.push(
        {
          role: "assistant",
          content: [{ type: "tool_use", id, name: call.name, input: {} }],
        },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: id, content: "ok" }],
        },
      );
    }
    assert.deepEqual(names, [
      "TaskCreate",
      "TaskCreate",
      "TaskCreate",
      "TaskUpdate",
    ]);
    assert.equal(textOf(await stream(stub.url, history, tasks)), "todo done");

    const todoWrite = [{ name: "TodoWrite", input_schema: { type: "object" } }];
    const call = toolCall(await stream(stub.url, [prompt], todoWrite));
    assert.equal(call.name, "TodoWrite");
    assert.equal((call.input as { todos: unknown[] }).todos.length, 3);
  } finally {
    await stub.close();
  }
});

Deno.test("stub [[mcp TOOL {JSON}]] calls the client's MCP tools in order, then says the last result", async () => {
  const stub = await startAnthropicStub();
  try {
    const prompt = {
      role: "user",
      content:
        'go [[mcp create_session {"session_id":"w1","prompt":"[[say hi]]"}]] then [[mcp send {"session_id":"w1","wait":true}]]',
    };
    const tools = ["Bash", "mcp__aimax__create_session", "mcp__aimax__send"]
      .map((name) => ({ name, input_schema: { type: "object" } }));
    const history: unknown[] = [prompt];
    const calls: { name: string; input: unknown }[] = [];
    for (let i = 0; i < 2; i++) {
      const call = toolCall(await stream(stub.url, history, tools));
      calls.push(call);
      const id = `toolu_${i}`;
      history.push(
        {
          role: "assistant",
          content: [{ type: "tool_use", id, name: call.name, input: {} }],
        },
        {
          role: "user",
          content: [{
            type: "tool_result",
            tool_use_id: id,
            content: [{ type: "text", text: `result ${i}` }],
          }],
        },
      );
    }
    assert.deepEqual(calls, [
      {
        name: "mcp__aimax__create_session",
        input: { session_id: "w1", prompt: "[[say hi]]" },
      },
      { name: "mcp__aimax__send", input: { session_id: "w1", wait: true } },
    ]);
    assert.equal(
      textOf(await stream(stub.url, history, tools)),
      "mcp done: result 1",
    );
    assert.equal(
      textOf(await stream(stub.url, [prompt], tools.slice(0, 1))),
      "mcp: no tool create_session among Bash",
    );
    // A deferred tool (Claude Code lists it by name only) is loaded first.
    const deferred = [
      { role: "user", content: "deferred: mcp__aimax__create_session" },
      { role: "assistant", content: "ok" },
      prompt,
    ];
    const search = toolCall(
      await stream(stub.url, deferred, [
        { name: "ToolSearch", input_schema: { type: "object" } },
      ]),
    );
    assert.deepEqual(search, {
      name: "ToolSearch",
      input: { query: "select:mcp__aimax__create_session" },
    });
  } finally {
    await stub.close();
  }
});

Deno.test("stub reads a prompt that shares its message with a tool result", async () => {
  const stub = await startAnthropicStub();
  try {
    const events = await stream(stub.url, [
      { role: "user", content: "[[bash mkdir x]]" },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "t1", name: "Bash", input: {} }],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "t1", content: "interrupted" },
          { type: "text", text: "[Request interrupted by user for tool use]" },
          { type: "text", text: "next prompt" },
        ],
      },
    ]);
    assert.equal(textOf(events), "ack: next prompt");
  } finally {
    await stub.close();
  }
});

async function tmux(socket: string, ...args: string[]): Promise<string> {
  const env = { ...Deno.env.toObject() };
  delete env.TMUX;
  const output = await new Deno.Command("tmux", {
    args: ["-L", socket, "-f", "/dev/null", ...args],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(
      `tmux ${args[0]}: ${new TextDecoder().decode(output.stderr)}`,
    );
  }
  return new TextDecoder().decode(output.stdout);
}

async function pasteText(socket: string, target: string, text: string) {
  const env = { ...Deno.env.toObject() };
  delete env.TMUX;
  const child = new Deno.Command("tmux", {
    args: ["-L", socket, "load-buffer", "-b", "aimax", "-"],
    env,
    clearEnv: true,
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  assert.ok((await child.status).success);
  await tmux(socket, "paste-buffer", "-p", "-d", "-b", "aimax", "-t", target);
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const claudeBinary = new URL(
  "../node_modules/.bin/claude",
  import.meta.url,
).pathname;

function claudeMissing(): boolean {
  try {
    Deno.statSync(claudeBinary);
    return false;
  } catch {
    return true;
  }
}

Deno.test({
  name: "real Claude Code TUI runs a Bash tool call against the stub",
  ignore: claudeMissing(),
  async fn() {
    const stub = await startAnthropicStub();
    const root = await Deno.realPath(
      await Deno.makeTempDir({ prefix: "aimax-stub-" }),
    );
    const home = `${root}/home`;
    const cwd = `${root}/work dir`;
    await Deno.mkdir(cwd, { recursive: true });
    const socket = `aimax-stub-test-${Deno.pid}-${Date.now()}`;
    const sessionId = crypto.randomUUID();
    try {
      const env = await prepareClaudeHome(home, { baseUrl: stub.url });
      const configPath = `${home}/.claude.json`;
      const config = JSON.parse(await Deno.readTextFile(configPath));
      config.projects = { [cwd]: { hasTrustDialogAccepted: true } };
      await Deno.writeTextFile(configPath, JSON.stringify(config, null, 2));

      await tmux(
        socket,
        "new-session",
        "-d",
        "-s",
        "main",
        "-x",
        "120",
        "-y",
        "40",
        "-c",
        cwd,
        "env",
        ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
        claudeBinary,
        "--session-id",
        sessionId,
      );
      await waitFor("the ready screen", async () => {
        const screen = await tmux(socket, "capture-pane", "-p", "-t", "main");
        // 2.1.197 greets with "Welcome back!"; 2.1.332 shows only its header.
        return /Welcome back!|Claude Code v\d/.test(screen) &&
            /^❯[\u00a0 ]/m.test(screen)
          ? screen
          : undefined;
      }, 30_000);

      await pasteText(
        socket,
        "main",
        "make a marker [[bash touch marker.txt]]",
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tmux(socket, "send-keys", "-t", "main", "Enter");

      await waitFor("marker.txt", async () => {
        await Deno.stat(`${cwd}/marker.txt`);
        return true;
      }, 30_000);
      const transcript = `${home}/.claude/projects/${
        cwd.replace(/[^a-zA-Z0-9]/g, "-")
      }/${sessionId}.jsonl`;
      await waitFor("the tool done reply", async () => {
        const records = (await Deno.readTextFile(transcript)).split("\n")
          .filter((line) => line.trim() !== "").map((line) => JSON.parse(line));
        return records.some((record) =>
            record.type === "assistant" &&
            Array.isArray(record.message?.content) &&
            record.message.content.some((block: { text?: string }) =>
              block.text === "tool done"
            )
          )
          ? true
          : undefined;
      }, 30_000);
      assert.deepEqual(stub.prompts(), [
        "make a marker [[bash touch marker.txt]]",
      ]);
    } finally {
      const pid = await tmux(
        socket,
        "display-message",
        "-p",
        "-t",
        "main",
        "#{pane_pid}",
      ).catch(() => "");
      await tmux(socket, "kill-server").catch(() => "");
      await stub.close();
      await waitForExit([pid.trim()].filter(Boolean));
      await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  },
});
