import assert from "node:assert/strict";
import { prepareCodexHome } from "../offline/codex_home.ts";
import { type OpenAIStub, startOpenAIStub } from "../offline/openai_stub.ts";

type Json = Record<string, unknown>;

const CODEX_BIN = Deno.env.get("AIMAX_CODEX_BIN") ??
  new URL("../node_modules/.bin/codex", import.meta.url).pathname;

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

const EXEC_TOOL = {
  type: "function",
  name: "exec_command",
  parameters: {
    type: "object",
    properties: { cmd: { type: "string" } },
    required: ["cmd"],
  },
};

function userMessage(text: string): Json {
  return {
    type: "message",
    role: "user",
    content: [{ type: "input_text", text }],
  };
}

function mainBody(prompt: string, extra: Json[] = []): Json {
  return {
    model: "gpt-5.5",
    stream: true,
    tools: [EXEC_TOOL],
    input: [
      {
        type: "message",
        role: "developer",
        content: [{ type: "input_text", text: "be helpful [[slow 9]]" }],
      },
      userMessage("<environment_context>\n  <cwd>/x</cwd>\n"),
      userMessage(prompt),
      ...extra,
    ],
  };
}

function post(stub: OpenAIStub, body: Json, signal?: AbortSignal) {
  return fetch(`${stub.baseUrl}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}

async function events(response: Response): Promise<Json[]> {
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /event-stream/);
  const text = await response.text();
  return text.split("\n\n").filter((block) => block.trim() !== "").map(
    (block) => {
      const lines = block.split("\n");
      const name = lines.find((line) => line.startsWith("event: "))?.slice(7);
      const data = lines.find((line) => line.startsWith("data: "))?.slice(6);
      const event = JSON.parse(data ?? "null") as Json;
      assert.equal(event.type, name);
      return event;
    },
  );
}

function outputText(all: Json[]): string {
  return all
    .filter((event) => event.type === "response.output_text.delta")
    .map((event) => event.delta)
    .join("");
}

Deno.test("stub streams a default reply in Responses API order", async () => {
  const stub = await startOpenAIStub();
  try {
    assert.match(stub.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const all = await events(await post(stub, mainBody("hello\nworld")));
    assert.deepEqual(all.map((event) => event.type), [
      "response.created",
      "response.output_item.added",
      "response.output_text.delta",
      "response.output_item.done",
      "response.completed",
    ]);
    assert.equal(outputText(all), "ack: hello");
    const done = all[3].item as Json;
    assert.equal(done.type, "message");
    assert.deepEqual(done.content, [{
      type: "output_text",
      text: "ack: hello",
      annotations: [],
    }]);
    const completed = all[4].response as Json;
    assert.equal((completed.usage as Json).total_tokens, 15);
    assert.deepEqual(stub.prompts(), ["hello\nworld"]);
    assert.equal(stub.requests.length, 1);
    assert.equal(stub.requests[0].path, "/v1/responses");
  } finally {
    await stub.close();
  }
});

Deno.test("stub truncates the ack to 80 characters", async () => {
  const stub = await startOpenAIStub();
  try {
    const all = await events(await post(stub, mainBody("x".repeat(100))));
    assert.equal(outputText(all), `ack: ${"x".repeat(80)}`);
  } finally {
    await stub.close();
  }
});

Deno.test("stub answers [[bash]] with a tool call, then 'tool done'", async () => {
  const stub = await startOpenAIStub();
  try {
    const prompt = "do it [[bash touch marker.txt]] please";
    const first = await events(await post(stub, mainBody(prompt)));
    const call = first.find((event) =>
      event.type === "response.output_item.done"
    )?.item as Json;
    assert.equal(call.type, "function_call");
    assert.equal(call.name, "exec_command");
    assert.deepEqual(JSON.parse(call.arguments as string), {
      cmd: "touch marker.txt",
    });
    const second = await events(
      await post(
        stub,
        mainBody(prompt, [call, {
          type: "function_call_output",
          call_id: call.call_id,
          output: "Process exited with code 0",
        }]),
      ),
    );
    assert.equal(outputText(second), "tool done");
    assert.deepEqual(stub.prompts(), [prompt]);
  } finally {
    await stub.close();
  }
});

Deno.test("stub [[mcp TOOL {JSON}]] loads a deferred MCP tool with tool_search, calls it in its namespace, then says the output", async () => {
  const stub = await startOpenAIStub();
  try {
    const prompt =
      'go [[mcp create_session {"session_id":"w1","prompt":"[[say hi]]"}]]';
    const body = (extra: Json[] = []) => {
      const b = mainBody(prompt, extra);
      b.tools = [EXEC_TOOL, { type: "tool_search", execution: "client" }];
      return b;
    };
    const doneItem = (all: Json[]) =>
      all.find((e) => e.type === "response.output_item.done")?.item as Json;
    const search = doneItem(await events(await post(stub, body())));
    assert.equal(search.type, "tool_search_call");
    assert.deepEqual(search.arguments, { query: "create_session", limit: 8 });
    const loaded = {
      type: "tool_search_output",
      call_id: search.call_id,
      execution: "client",
      status: "completed",
      tools: [{
        type: "namespace",
        name: "mcp__aimax",
        tools: [{ type: "function", name: "create_session" }],
      }],
    };
    const call = doneItem(
      await events(await post(stub, body([search, loaded]))),
    );
    assert.equal(call.type, "function_call");
    assert.equal(call.namespace, "mcp__aimax");
    assert.equal(call.name, "create_session");
    assert.deepEqual(JSON.parse(call.arguments as string), {
      session_id: "w1",
      prompt: "[[say hi]]",
    });
    const output = {
      type: "function_call_output",
      call_id: call.call_id,
      output: "created",
    };
    const text = await events(
      await post(stub, body([search, loaded, call, output])),
    );
    assert.equal(outputText(text), "mcp done: created");
    // An MCP tool the client offers by name is called at once.
    const direct = mainBody(prompt);
    direct.tools = [{ type: "function", name: "mcp__aimax__create_session" }];
    const named = doneItem(await events(await post(stub, direct)));
    assert.equal(named.name, "mcp__aimax__create_session");
  } finally {
    await stub.close();
  }
});

Deno.test("stub answers a title request with JSON matching its schema", async () => {
  const stub = await startOpenAIStub();
  try {
    const body = {
      ...mainBody("Generate a concise title for: hello"),
      tools: [],
      text: {
        format: {
          type: "json_schema",
          name: "codex_output_schema",
          strict: true,
          schema: {
            type: "object",
            properties: { title: { type: "string", maxLength: 36 } },
            required: ["title"],
            additionalProperties: false,
          },
        },
      },
    };
    const all = await events(await post(stub, body));
    const title = JSON.parse(outputText(all));
    assert.equal(typeof title.title, "string");
    assert.ok(title.title.length > 0);
    assert.deepEqual(stub.prompts(), []);
  } finally {
    await stub.close();
  }
});

Deno.test("stub spreads a [[slow N]] reply over N seconds", async () => {
  const stub = await startOpenAIStub();
  try {
    const started = Date.now();
    const all = await events(await post(stub, mainBody("wait [[slow 1]]")));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 900, `took ${elapsed} ms`);
    const deltas = all.filter((event) =>
      event.type === "response.output_text.delta"
    );
    assert.ok(deltas.length > 2);
    assert.match(outputText(all), /slow done$/);
    assert.equal(all.at(-1)?.type, "response.completed");
  } finally {
    await stub.close();
  }
});

Deno.test("stub survives a client aborting a slow stream", async () => {
  const stub = await startOpenAIStub();
  try {
    const abort = new AbortController();
    const response = await post(stub, mainBody("[[slow 30]]"), abort.signal);
    const reader = response.body!.getReader();
    const first = await reader.read();
    assert.ok(!first.done);
    abort.abort();
    await reader.read().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const all = await events(await post(stub, mainBody("still there?")));
    assert.equal(outputText(all), "ack: still there?");
  } finally {
    const started = Date.now();
    await stub.close();
    assert.ok(Date.now() - started < 5000);
  }
});

Deno.test("stub close() cuts a stream that is still running", async () => {
  const stub = await startOpenAIStub();
  const response = await post(stub, mainBody("[[slow 30]]"));
  const reader = response.body!.getReader();
  await reader.read();
  const started = Date.now();
  await stub.close();
  while (!(await reader.read().catch(() => ({ done: true }))).done) {
    // Drain what was already sent.
  }
  assert.ok(Date.now() - started < 5000);
});

Deno.test("stub answers other probes", async () => {
  const stub = await startOpenAIStub();
  try {
    const models = await fetch(`${stub.baseUrl}/models`);
    assert.equal(models.status, 200);
    assert.equal((await models.json()).object, "list");
    const head = await fetch(stub.url, { method: "HEAD" });
    await head.body?.cancel();
    assert.equal(head.status, 200);
    const missing = await fetch(`${stub.baseUrl}/nope`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    assert.deepEqual(stub.requests.map((request) => request.method), [
      "GET",
      "HEAD",
      "GET",
    ]);
  } finally {
    await stub.close();
  }
});

Deno.test("stub [[say TEXT]] replies TEXT literally", async () => {
  const stub = await startOpenAIStub();
  try {
    const all = await events(
      await post(stub, mainBody("x [[say Working on it… done.]] y")),
    );
    assert.equal(outputText(all), "Working on it… done.");
  } finally {
    await stub.close();
  }
});

Deno.test("stub [[escalate CMD]] asks to run CMD outside the sandbox", async () => {
  const stub = await startOpenAIStub();
  try {
    const all = await events(
      await post(stub, mainBody("[[escalate mkdir /tmp/m]]")),
    );
    const call = all.find((event) => event.type === "response.output_item.done")
      ?.item as Json;
    assert.equal(call.type, "function_call");
    const args = JSON.parse(call.arguments as string);
    assert.equal(args.cmd, "mkdir /tmp/m");
    assert.equal(args.sandbox_permissions, "require_escalated");
    assert.equal(typeof args.justification, "string");
  } finally {
    await stub.close();
  }
});

Deno.test("stub [[wait N]] is silent for N seconds, then replies", async () => {
  const stub = await startOpenAIStub();
  try {
    const started = Date.now();
    const all = await events(await post(stub, mainBody("hi [[wait 1]]")));
    assert.ok(Date.now() - started >= 950);
    assert.equal(outputText(all), "ack: hi [[wait 1]]");
  } finally {
    await stub.close();
  }
});

Deno.test("prepareCodexHome takes approval policy and sandbox mode", async () => {
  const root = await Deno.makeTempDir({ prefix: "aimax-codex-home-" });
  try {
    const read = () => Deno.readTextFile(`${root}/codex/config.toml`);
    const base = { baseUrl: "http://127.0.0.1:9/v1", home: `${root}/home` };
    await prepareCodexHome(`${root}/codex`, base);
    assert.match(await read(), /approval_policy = "never"/);
    assert.match(await read(), /sandbox_mode = "danger-full-access"/);
    await prepareCodexHome(`${root}/codex`, {
      ...base,
      approvalPolicy: "on-request",
      sandboxMode: "workspace-write",
    });
    assert.match(await read(), /approval_policy = "on-request"/);
    assert.match(await read(), /sandbox_mode = "workspace-write"/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

async function run(cmd: string, args: string[], stdin?: string) {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr);
    throw new Error(`${cmd} ${args.join(" ")} failed: ${err}`);
  }
  return text;
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function findRollouts(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) out.push(...await findRollouts(path));
      else if (/^rollout-.*\.jsonl$/.test(entry.name)) out.push(path);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return out;
}

Deno.test({
  name: "real Codex TUI runs a [[bash]] tool call against the stub",
  ignore: !exists(CODEX_BIN),
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "aimax-codex-stub-" });
    const cwd = `${root}/proj`;
    const codexHome = `${root}/codex-home`;
    const socket = `aimax-stub-${Deno.pid}-${Date.now()}`;
    const tmux = (...args: string[]) => run("tmux", ["-L", socket, ...args]);
    const stub = await startOpenAIStub();
    try {
      await Deno.mkdir(cwd);
      await run("git", ["init", "-q", cwd]);
      const env = await prepareCodexHome(codexHome, {
        baseUrl: stub.baseUrl,
        home: `${root}/home`,
      });
      const config = await Deno.readTextFile(`${codexHome}/config.toml`);
      assert.doesNotMatch(config, /trust_level/);
      const trust = `projects={${JSON.stringify(cwd)}={trust_level="trusted"}}`;
      await tmux(
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-s",
        "main",
        "-x",
        "160",
        "-y",
        "45",
        "-c",
        cwd,
        "env",
        ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
        CODEX_BIN,
        "-c",
        trust,
      );
      const capture = () => tmux("capture-pane", "-p", "-t", "main");
      await waitFor("the composer", async () => {
        const screen = await capture();
        return /Ask Codex to do anything/.test(screen) &&
            / default · /.test(screen)
          ? screen
          : undefined;
      });
      await run(
        "tmux",
        ["-L", socket, "load-buffer", "-b", "prompt", "-"],
        "make a marker [[bash touch marker.txt]]",
      );
      await tmux("paste-buffer", "-p", "-d", "-b", "prompt", "-t", "main");
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tmux("send-keys", "-t", "main", "Enter");
      await waitFor(
        "marker.txt",
        () => Promise.resolve(exists(`${cwd}/marker.txt`) || undefined),
      );
      const agentText = await waitFor("the 'tool done' message", async () => {
        for (const path of await findRollouts(`${codexHome}/sessions`)) {
          for (const line of (await Deno.readTextFile(path)).split("\n")) {
            if (line.trim() === "") continue;
            let record: Json;
            try {
              record = JSON.parse(line);
            } catch {
              continue; // A line still being written.
            }
            const payload = record.payload as Json | undefined;
            const item = payload?.item as Json | undefined;
            if (payload?.type !== "item_completed") continue;
            if (item?.type !== "AgentMessage") continue;
            const text = (item.content as Json[]).map((part) => part.text)
              .join("");
            if (text === "tool done") return text;
          }
        }
        return undefined;
      });
      assert.equal(agentText, "tool done");
      assert.deepEqual(stub.prompts(), [
        "make a marker [[bash touch marker.txt]]",
      ]);
    } finally {
      await tmux("kill-server").catch(() => undefined);
      await stub.close();
      await Deno.remove(root, { recursive: true }).catch(() => undefined);
    }
  },
});

// Chat Completions (GitHub Copilot CLI with COPILOT_PROVIDER_TYPE=openai):
// the same script language, another wire format.

const BASH_TOOL = {
  type: "function",
  function: {
    name: "bash",
    parameters: {
      type: "object",
      properties: {
        command: { type: "string" },
        description: { type: "string" },
      },
      required: ["command", "description"],
    },
  },
};

function chatBody(prompt: string, extra: Json[] = []): Json {
  return {
    model: "stub-model",
    stream: true,
    stream_options: { include_usage: true },
    tools: [BASH_TOOL, {
      type: "custom",
      custom: { name: "apply_patch", format: { type: "grammar" } },
    }],
    messages: [
      { role: "system", content: "You are Copilot [[slow 9]]" },
      {
        role: "user",
        content:
          `<current_datetime>2026-12-03T17:07:30.185+00:00</current_datetime>\n\n${prompt}`,
      },
      ...extra,
    ],
  };
}

function postChat(stub: OpenAIStub, body: Json, signal?: AbortSignal) {
  return fetch(`${stub.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}

/** The `data:` chunks of a chat stream, and whether it ended with [DONE]. */
async function chunks(response: Response): Promise<[Json[], boolean]> {
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /event-stream/);
  const lines = (await response.text()).split("\n\n")
    .filter((b) => b.trim() !== "")
    .map((b) => {
      assert.ok(b.startsWith("data: "), b);
      return b.slice(6);
    });
  const done = lines.at(-1) === "[DONE]";
  return [
    lines.filter((l) => l !== "[DONE]").map((l) => JSON.parse(l) as Json),
    done,
  ];
}

function chatText(all: Json[]): string {
  return all.map((c) => {
    const choice = (c.choices as Json[])[0];
    return (choice?.delta as Json | undefined)?.content ?? "";
  }).join("");
}

Deno.test("stub chat: a default reply streams as chat chunks, without Copilot's time prefix, with usage and [DONE]", async () => {
  const stub = await startOpenAIStub();
  try {
    const [all, done] = await chunks(await postChat(stub, chatBody("hello")));
    assert.ok(done);
    assert.equal(chatText(all), "ack: hello");
    assert.equal(all[0].object, "chat.completion.chunk");
    assert.equal(all[0].model, "stub-model");
    const finish = all.map((c) =>
      (c.choices as Json[])[0]?.finish_reason ?? null
    ).filter((f) => f !== null);
    assert.deepEqual(finish, ["stop"]);
    assert.deepEqual((all.at(-1)!.usage as Json).total_tokens, 15);
    assert.deepEqual(stub.prompts(), ["hello"]);
    assert.equal(stub.requests[0].path, "/v1/chat/completions");
  } finally {
    await stub.close();
  }
});

Deno.test("stub chat: [[bash]] calls Copilot's bash tool with a description, then says 'tool done'", async () => {
  const stub = await startOpenAIStub();
  try {
    const prompt = "do it [[bash touch marker.txt]]";
    const [first] = await chunks(await postChat(stub, chatBody(prompt)));
    const calls = first.flatMap((c) =>
      ((c.choices as Json[])[0]?.delta as Json | undefined)?.tool_calls as
        | Json[]
        | undefined ?? []
    );
    assert.equal(calls.length, 1);
    const fn = calls[0].function as Json;
    assert.equal(fn.name, "bash");
    const args = JSON.parse(fn.arguments as string);
    assert.equal(args.command, "touch marker.txt");
    assert.equal(typeof args.description, "string");
    assert.ok(
      first.some((c) =>
        (c.choices as Json[])[0]?.finish_reason === "tool_calls"
      ),
    );
    const [second] = await chunks(
      await postChat(
        stub,
        chatBody(prompt, [
          { role: "assistant", content: null, tool_calls: calls },
          { role: "tool", tool_call_id: calls[0].id, content: "ok" },
        ]),
      ),
    );
    assert.equal(chatText(second), "tool done");
    assert.deepEqual(stub.prompts(), [prompt]);
  } finally {
    await stub.close();
  }
});

Deno.test("stub chat: [[slow N]] spreads the reply; a request without stream gets one completion", async () => {
  const stub = await startOpenAIStub();
  try {
    const started = Date.now();
    const [all] = await chunks(await postChat(stub, chatBody("[[slow 1]]")));
    assert.ok(Date.now() - started >= 900);
    assert.ok(all.length > 3);
    assert.match(chatText(all), /slow done$/);
    const plain = await postChat(stub, {
      ...chatBody("[[say plain]]"),
      stream: false,
    });
    const body = await plain.json();
    assert.equal(body.object, "chat.completion");
    assert.equal(body.choices[0].message.content, "plain");
  } finally {
    await stub.close();
  }
});

Deno.test("stub chat: a client aborting a slow stream leaves the stub serving", async () => {
  const stub = await startOpenAIStub();
  try {
    const abort = new AbortController();
    const response = await postChat(
      stub,
      chatBody("[[slow 30]]"),
      abort.signal,
    );
    const reader = response.body!.getReader();
    assert.ok(!(await reader.read()).done);
    abort.abort();
    await reader.read().catch(() => undefined);
    const [all] = await chunks(await postChat(stub, chatBody("still?")));
    assert.equal(chatText(all), "ack: still?");
  } finally {
    await stub.close();
  }
});

Deno.test("stub chat: a prompt Copilot wrapped for plan mode is read as the person's prompt", async () => {
  const stub = await startOpenAIStub();
  try {
    const wrapped =
      "<mode_changed_notice>\n\n<plan_mode>\nrules [[slow 9]]\n</plan_mode>\n\n</mode_changed_notice>\n\n[[PLAN]] I want to create an implementation plan. Please:\n1. Analyze\n\nMy request: hello [[say planned]]";
    const [all] = await chunks(await postChat(stub, chatBody(wrapped)));
    assert.equal(chatText(all), "planned");
    assert.deepEqual(stub.prompts(), ["hello [[say planned]]"]);
  } finally {
    await stub.close();
  }
});
