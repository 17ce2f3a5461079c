/**
 * A loopback stand-in for the OpenAI Responses API (`POST /v1/responses`,
 * for Codex) and Chat Completions API (`POST /v1/chat/completions`, for
 * GitHub Copilot CLI with `COPILOT_PROVIDER_TYPE=openai`), for driving the
 * real TUIs in tests. Both wire formats share one script language: a chat
 * request is read as the Responses input it stands for, answered by the
 * same rules, and streamed back as chat completion chunks.
 *
 * Behaviour is driven by directives in the latest real user prompt of a
 * request (read by the shared parser, `offline/script.ts`):
 *
 * - default: replies `ack: <first line of the prompt, max 80 chars>`;
 * - `[[slow N]]`: streams small deltas over N seconds, ending `slow done`;
 * - `[[bash CMD]]`: answers with a function call to the shell tool the client
 *   offers, then `tool done` once the call's output comes back;
 * - `[[escalate CMD]]`: like `[[bash CMD]]`, but the call asks to run outside
 *   the sandbox (`sandbox_permissions: "require_escalated"` and a
 *   `justification`), which opens Codex's approval dialog unless approvals
 *   are off;
 * - `[[say TEXT]]`: replies TEXT literally (over N seconds with `[[slow N]]`);
 * - `[[wait N]]`: N seconds of silence after `response.created` before the
 *   reply to the prompt (Codex shows its "Working" status line only while no
 *   text streams);
 * - `[[mcp TOOL {JSON}]]` (repeatable): a call of the client's tool named
 *   TOOL or ending in `__TOOL` (an MCP tool) with the JSON object as its
 *   arguments, one per request in the prompt's order; then `mcp done: ` and
 *   the last call's output. A tool the client does not offer: `mcp: no
 *   tool TOOL among …` instead.
 * - a title request (`text.format.type` = `json_schema`, or a chat request's
 *   `response_format` of that type): replies JSON that matches the schema.
 *
 * Run as a script it prints its base URL and serves until killed.
 *
 * @module
 */

import { type RecordedRequest, recordRequest } from "./recorded_request.ts";
import { parseScript } from "./script.ts";
export type { RecordedRequest };

/** A running stub server. */
export interface OpenAIStub {
  /** Origin of the server, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Base URL ending in /v1 */
  baseUrl: string;
  /** TCP port the server listens on. */
  port: number;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** User prompt texts seen in main (non-title) requests, in order, deduplicated */
  prompts(): string[];
  /** Stops the server, cutting any reply still streaming. */
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/** Text prefixes of user-role messages that Codex adds itself. */
const SYNTHETIC_PREFIXES = [
  "<environment_context",
  "<user_instructions",
  "<INSTRUCTIONS",
  "# AGENTS.md instructions",
  "<turn_aborted",
  "<user_shell_command",
  "<skills_instructions",
  "<permissions instructions",
  "<collaboration_mode",
  "<subagent_notification",
  "<apps_instructions",
  "<plugins_instructions",
];

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function messageText(item: Json): string {
  const content = item.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter(isObject)
    .map((part) => typeof part.text === "string" ? part.text : "")
    .join("");
}

function isSynthetic(text: string): boolean {
  const trimmed = text.trimStart();
  return SYNTHETIC_PREFIXES.some((prefix) => trimmed.startsWith(prefix));
}

/** Real user prompts of a request's `input`, with their index, in order. */
function userPrompts(body: Json): { index: number; text: string }[] {
  const input = Array.isArray(body.input) ? body.input : [];
  const out: { index: number; text: string }[] = [];
  input.forEach((item, index) => {
    if (!isObject(item) || item.role !== "user") return;
    if (item.type !== undefined && item.type !== "message") return;
    const text = messageText(item);
    if (text.trim() === "" || isSynthetic(text)) return;
    out.push({ index, text });
  });
  return out;
}

function isTitleRequest(body: Json): boolean {
  const text = body.text;
  return isObject(text) && isObject(text.format) &&
    text.format.type === "json_schema";
}

/** Builds a value matching a (simple) JSON schema. */
function sampleFor(schema: unknown, key = "title"): unknown {
  if (!isObject(schema)) return "Stub title";
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum[0];
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const props = isObject(schema.properties) ? schema.properties : {};
      const out: Json = {};
      for (const [name, sub] of Object.entries(props)) {
        out[name] = sampleFor(sub, name);
      }
      return out;
    }
    case "array":
      return [];
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return key === "title" ? "Stub title" : `Stub ${key}`;
  }
}

/** Picks the shell tool the client offers and builds its arguments. */
function shellCall(
  body: Json,
  cmd: string,
  extra: Json = {},
): { name: string; args: string } {
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  const byName = new Map(tools.map((tool) => [String(tool.name), tool]));
  const params = (tool: Json | undefined): Json =>
    isObject(tool?.parameters) && isObject(tool.parameters.properties)
      ? tool.parameters.properties
      : {};
  for (const name of ["exec_command", "shell_command", "shell", "bash"]) {
    const tool = byName.get(name);
    if (!tool) continue;
    const props = params(tool);
    const field = "cmd" in props ? "cmd" : "command";
    const prop = props[field];
    const value = isObject(prop) && prop.type === "array"
      ? ["bash", "-lc", cmd]
      : cmd;
    // Copilot's `bash` tool requires a `description` of the command.
    const described = "description" in props
      ? { description: `Run ${cmd.slice(0, 60)}` }
      : {};
    return {
      name,
      args: JSON.stringify({ [field]: value, ...described, ...extra }),
    };
  }
  return { name: "exec_command", args: JSON.stringify({ cmd, ...extra }) };
}

function sse(event: Json): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

function usage(): Json {
  return {
    input_tokens: 10,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 5,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 15,
  };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

/** What the model says: plain text in chunks, or a function call. */
type Reply =
  & (
    | { kind: "text"; chunks: string[]; spreadMs: number }
    | {
      kind: "call";
      name: string;
      args: string;
      callId: string;
      namespace?: string;
    }
    | { kind: "search"; query: string; callId: string }
  )
  & { waitMs?: number };

function isToolOutput(item: Json): boolean {
  return item.type === "function_call_output" ||
    item.type === "custom_tool_call_output";
}

/** A tool call's output as text (a string, or content parts). */
function outputText(item: Json): string {
  const output = item.output;
  if (typeof output === "string") return output;
  if (!Array.isArray(output)) return "";
  return output.filter(isObject)
    .map((part) => typeof part.text === "string" ? part.text : "").join("\n");
}

/** The names of the function tools `body` offers (namespaced ones too). */
function functionNames(body: Json): string[] {
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  return tools.flatMap((tool) => {
    const inner = Array.isArray(tool.tools) ? tool.tools.filter(isObject) : [];
    return [
      String(tool.name),
      ...inner.map((t) => `${String(tool.name)}__${String(t.name)}`),
    ];
  });
}

/** The reply to a prompt with `[[mcp …]]` directives, given the items since it. */
function mcpReply(
  body: Json,
  calls: [string, Json][],
  after: Json[],
  callId: string,
): Reply {
  const made = after.filter((item) => item.type === "function_call");
  if (made.length >= calls.length) {
    const lastId = made.at(-1)?.call_id;
    const last = after.find((item) =>
      isToolOutput(item) && item.call_id === lastId
    );
    return {
      kind: "text",
      chunks: [`mcp done: ${last ? outputText(last) : ""}`],
      spreadMs: 0,
    };
  }
  const [tool, args] = calls[made.length];
  const names = functionNames(body);
  const name = names.find((n) => n === tool || n.endsWith(`__${tool}`));
  if (name) return { kind: "call", name, args: JSON.stringify(args), callId };
  // Codex defers MCP tools: `tool_search` loads them into a namespace.
  for (const found of after.filter((i) => i.type === "tool_search_output")) {
    const spaces = Array.isArray(found.tools)
      ? found.tools.filter(isObject)
      : [];
    for (const space of spaces) {
      const inner = Array.isArray(space.tools)
        ? space.tools.filter(isObject)
        : [];
      if (inner.some((t) => t.name === tool)) {
        return {
          kind: "call",
          namespace: String(space.name),
          name: tool,
          args: JSON.stringify(args),
          callId,
        };
      }
    }
  }
  const searchable = Array.isArray(body.tools) &&
    body.tools.some((t) => isObject(t) && t.type === "tool_search");
  const searched = after.some((i) =>
    i.type === "tool_search_call" &&
    isObject(i.arguments) && i.arguments.query === tool
  );
  if (searchable && !searched) return { kind: "search", query: tool, callId };
  return {
    kind: "text",
    chunks: [`mcp: no tool ${tool} among ${names.join(", ")}`],
    spreadMs: 0,
  };
}

/** The `[[wait N]]` of the latest prompt, in ms, unless a tool answered. */
function waitOf(body: Json): number {
  if (isTitleRequest(body)) return 0;
  const latest = userPrompts(body).at(-1);
  const wait = parseScript(latest?.text ?? "").waitSeconds;
  const input = Array.isArray(body.input) ? body.input : [];
  const answered = input.slice((latest?.index ?? -1) + 1).filter(isObject)
    .some(isToolOutput);
  return wait !== undefined && !answered ? wait * 1000 : 0;
}

/**
 * A Chat Completions request read as the Responses request it stands for,
 * so that one set of rules answers both: each message becomes an input
 * item (an assistant's tool call a `function_call`, a tool message its
 * `function_call_output`), function tools are flattened to Responses
 * tools, and a `json_schema` `response_format` becomes `text.format`.
 *
 * @example
 * ```ts
 * import { chatAsResponses } from "./openai_stub.ts";
 * const body = chatAsResponses({
 *   messages: [{ role: "user", content: "hi" }],
 *   tools: [{ type: "function", function: { name: "bash", parameters: {} } }],
 * });
 * console.log(body.input, body.tools);
 * ```
 * @param body a parsed `POST /chat/completions` body
 * @returns the equivalent `POST /responses` body
 */
export function chatAsResponses(body: Json): Json {
  const messages = Array.isArray(body.messages)
    ? body.messages.filter(isObject)
    : [];
  const input: Json[] = [];
  for (const message of messages) {
    const role = String(message.role);
    if (role === "tool") {
      input.push({
        type: "function_call_output",
        call_id: message.tool_call_id,
        output: typeof message.content === "string"
          ? message.content
          : messageText(message),
      });
      continue;
    }
    const text = copilotPrompt(messageText(message));
    if (text !== "" || role !== "assistant") {
      input.push({
        type: "message",
        role,
        content: [{ type: "input_text", text }],
      });
    }
    const calls = Array.isArray(message.tool_calls)
      ? message.tool_calls.filter(isObject)
      : [];
    for (const call of calls) {
      const fn = isObject(call.function) ? call.function : {};
      input.push({
        type: "function_call",
        call_id: call.id,
        name: fn.name,
        arguments: fn.arguments,
      });
    }
  }
  const tools = (Array.isArray(body.tools) ? body.tools.filter(isObject) : [])
    .map((tool) => {
      // `{type: "function", function: {...}}`, or `custom` (free-form).
      const inner = tool[String(tool.type)];
      return isObject(inner) ? { type: tool.type, ...inner } : tool;
    });
  const format = isObject(body.response_format) &&
      body.response_format.type === "json_schema" &&
      isObject(body.response_format.json_schema)
    ? {
      text: {
        format: { type: "json_schema", ...body.response_format.json_schema },
      },
    }
    : {};
  return { model: body.model, tools, input, ...format };
}

/** The time Copilot puts before each prompt it sends. */
const DATETIME_PREFIX = /^<current_datetime>[^<]*<\/current_datetime>\s*/;
/** The notice Copilot puts before a prompt after a mode change. */
const MODE_NOTICE = /^<mode_changed_notice>[\s\S]*?<\/mode_changed_notice>\s*/;
/** How Copilot's plan mode wraps a prompt: `[[PLAN]] … My request: …`. */
const PLAN_WRAP = /^\[\[PLAN\]\][\s\S]*?\nMy request: ([\s\S]*)$/;

/**
 * The prompt a person typed, from the text Copilot sends: without the time
 * it puts first, a mode-change notice, and plan mode's wrapping.
 */
function copilotPrompt(text: string): string {
  const bare = text.replace(DATETIME_PREFIX, "").replace(MODE_NOTICE, "");
  return PLAN_WRAP.exec(bare)?.[1] ?? bare;
}

/** One `data:` line of a Chat Completions stream. */
function chatData(value: Json | "[DONE]"): string {
  return `data: ${value === "[DONE]" ? value : JSON.stringify(value)}\n\n`;
}

/**
 * Starts the stub on a random free loopback port.
 *
 * @param options `hostname` to listen on (default `127.0.0.1`).
 * @returns the running stub.
 */
export function startOpenAIStub(
  options: { hostname?: string } = {},
): Promise<OpenAIStub> {
  const hostname = options.hostname ?? "127.0.0.1";
  const requests: RecordedRequest[] = [];
  const seenPrompts: string[] = [];
  const streams = new Set<AbortController>();
  let counter = 0;

  function decide(body: Json): Reply {
    if (isTitleRequest(body)) {
      const text = body.text as Json;
      const format = text.format as Json;
      const sample = sampleFor(format.schema);
      return { kind: "text", chunks: [JSON.stringify(sample)], spreadMs: 0 };
    }
    const prompts = userPrompts(body);
    for (const { text } of prompts) {
      if (!seenPrompts.includes(text)) seenPrompts.push(text);
    }
    const latest = prompts.at(-1);
    const prompt = latest?.text ?? "";
    const input = Array.isArray(body.input) ? body.input : [];
    const after = input.slice((latest?.index ?? -1) + 1).filter(isObject);
    const script = parseScript(prompt);
    if (script.mcp.length > 0) {
      return mcpReply(body, script.mcp, after, `call_stub_${++counter}`);
    }
    if (after.some(isToolOutput)) {
      return { kind: "text", chunks: ["tool done"], spreadMs: 0 };
    }
    if (script.shell) {
      const { name, args } = shellCall(
        body,
        script.shell.command,
        script.shell.escalate
          ? {
            sandbox_permissions: "require_escalated",
            justification: "Do you want to let the stub run this command?",
          }
          : {},
      );
      return { kind: "call", name, args, callId: `call_stub_${++counter}` };
    }
    const say = script.say;
    if (script.slowSeconds !== undefined) {
      // Streamed as dots (the screens captured from Codex show them).
      const ms = script.slowSeconds * 1000;
      const steps = Math.max(1, Math.min(100, Math.round(ms / 250)));
      const chunks = say === undefined
        ? [...Array.from({ length: steps }, () => "."), " slow done"]
        : Array.from(
          { length: steps },
          (_, i) =>
            say.slice(
              Math.floor(i * say.length / steps),
              Math.floor((i + 1) * say.length / steps),
            ),
        );
      return { kind: "text", chunks, spreadMs: ms };
    }
    if (say !== undefined) {
      return { kind: "text", chunks: [say], spreadMs: 0 };
    }
    return { kind: "text", chunks: [script.ack], spreadMs: 0 };
  }

  function stream(
    reply: Reply,
    abort: AbortController,
    done: () => void,
  ): ReadableStream {
    const signal = abort.signal;
    const n = ++counter;
    const responseId = `resp_stub_${n}`;
    const encoder = new TextEncoder();
    let sequence = 0;
    return new ReadableStream({
      async start(controller) {
        const send = (event: Json): boolean => {
          if (signal.aborted) return false;
          try {
            controller.enqueue(
              encoder.encode(sse({ ...event, sequence_number: sequence++ })),
            );
            return true;
          } catch {
            return false;
          }
        };
        const response = {
          id: responseId,
          object: "response",
          created_at: Math.floor(Date.now() / 1000),
          status: "in_progress",
          model: "stub",
          output: [],
        };
        send({ type: "response.created", response });
        if (reply.waitMs) await delay(reply.waitMs, signal);
        let item: Json;
        if (reply.kind === "search") {
          item = {
            type: "tool_search_call",
            id: `ts_stub_${n}`,
            call_id: reply.callId,
            execution: "client",
            arguments: { query: reply.query, limit: 8 },
            status: "completed",
          };
          send({
            type: "response.output_item.added",
            output_index: 0,
            item: { ...item, status: "in_progress" },
          });
        } else if (reply.kind === "call") {
          item = {
            type: "function_call",
            id: `fc_stub_${n}`,
            call_id: reply.callId,
            ...(reply.namespace ? { namespace: reply.namespace } : {}),
            name: reply.name,
            arguments: reply.args,
            status: "completed",
          };
          send({
            type: "response.output_item.added",
            output_index: 0,
            item: { ...item, arguments: "", status: "in_progress" },
          });
        } else {
          const itemId = `msg_stub_${n}`;
          send({
            type: "response.output_item.added",
            output_index: 0,
            item: {
              type: "message",
              id: itemId,
              role: "assistant",
              status: "in_progress",
              content: [],
            },
          });
          const pause = reply.spreadMs / reply.chunks.length;
          for (const delta of reply.chunks) {
            if (pause > 0) await delay(pause, signal);
            const ok = send({
              type: "response.output_text.delta",
              item_id: itemId,
              output_index: 0,
              content_index: 0,
              delta,
            });
            if (!ok) break;
          }
          if (signal.aborted) {
            try {
              controller.close();
            } catch {
              // Already closed or cancelled.
            }
            done();
            return;
          }
          item = {
            type: "message",
            id: itemId,
            role: "assistant",
            status: "completed",
            content: [{
              type: "output_text",
              text: reply.chunks.join(""),
              annotations: [],
            }],
          };
        }
        send({ type: "response.output_item.done", output_index: 0, item });
        send({
          type: "response.completed",
          response: {
            ...response,
            status: "completed",
            output: [item],
            usage: usage(),
          },
        });
        try {
          controller.close();
        } catch {
          // The client went away.
        }
        done();
      },
      cancel() {
        // The client went away (e.g. Escape in the TUI): stop the loop.
        abort.abort();
        done();
      },
    });
  }

  /**
   * `reply` as a Chat Completions stream: a first chunk with the role, the
   * text deltas or one tool call, a chunk with the finish reason, the
   * usage (when `stream_options.include_usage` asks), then `[DONE]`.
   */
  function chatStream(
    reply: Reply,
    options: { model: string; usage: boolean },
    abort: AbortController,
    done: () => void,
  ): ReadableStream {
    const signal = abort.signal;
    const n = ++counter;
    const id = `chatcmpl-stub-${n}`;
    const created = Math.floor(Date.now() / 1000);
    const encoder = new TextEncoder();
    return new ReadableStream({
      async start(controller) {
        const send = (value: Json | "[DONE]"): boolean => {
          if (signal.aborted) return false;
          try {
            controller.enqueue(encoder.encode(chatData(value)));
            return true;
          } catch {
            return false;
          }
        };
        const chunk = (delta: Json, finish: string | null = null): Json => ({
          id,
          object: "chat.completion.chunk",
          created,
          model: options.model,
          choices: [{ index: 0, delta, finish_reason: finish }],
        });
        send(chunk({ role: "assistant", content: "" }));
        if (reply.waitMs) await delay(reply.waitMs, signal);
        let finish = "stop";
        if (reply.kind === "text") {
          const pause = reply.spreadMs / reply.chunks.length;
          for (const delta of reply.chunks) {
            if (pause > 0) await delay(pause, signal);
            if (!send(chunk({ content: delta }))) break;
          }
        } else if (reply.kind === "call") {
          finish = "tool_calls";
          send(chunk({
            tool_calls: [{
              index: 0,
              id: reply.callId,
              type: "function",
              function: { name: reply.name, arguments: reply.args },
            }],
          }));
        } else {
          // Chat Completions has no tool search: say what is missing.
          send(chunk({ content: `mcp: no tool ${reply.query}` }));
        }
        if (!signal.aborted) {
          send(chunk({}, finish));
          if (options.usage) {
            send({
              id,
              object: "chat.completion.chunk",
              created,
              model: options.model,
              choices: [],
              usage: {
                prompt_tokens: 10,
                completion_tokens: 5,
                total_tokens: 15,
              },
            });
          }
          send("[DONE]");
        }
        try {
          controller.close();
        } catch {
          // Already closed, or the client went away.
        }
        done();
      },
      cancel() {
        // The client went away (e.g. Escape in the TUI): stop the loop.
        abort.abort();
        done();
      },
    });
  }

  /** `reply` as one (not streamed) chat completion. */
  function chatCompletion(reply: Reply, model: string): Json {
    const message: Json = reply.kind === "call"
      ? {
        role: "assistant",
        content: null,
        tool_calls: [{
          id: reply.callId,
          type: "function",
          function: { name: reply.name, arguments: reply.args },
        }],
      }
      : {
        role: "assistant",
        content: reply.kind === "text"
          ? reply.chunks.join("")
          : `mcp: no tool ${reply.query}`,
      };
    return {
      id: `chatcmpl-stub-${++counter}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{
        index: 0,
        message,
        finish_reason: reply.kind === "call" ? "tool_calls" : "stop",
      }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    };
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const recorded = await recordRequest(request);
    const body = recorded.body;
    requests.push(recorded);
    const path = url.pathname.replace(/\/+$/, "");
    if (request.method === "POST" && path === "/v1/responses") {
      if (!isObject(body)) {
        return Response.json({ error: { message: "bad json" } }, {
          status: 400,
        });
      }
      const abort = new AbortController();
      streams.add(abort);
      const reply = { ...decide(body), waitMs: waitOf(body) };
      const events = stream(reply, abort, () => streams.delete(abort));
      return new Response(events, {
        headers: {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
          "x-request-id": `req_stub_${counter}`,
        },
      });
    }
    if (request.method === "POST" && path === "/v1/chat/completions") {
      if (!isObject(body)) {
        return Response.json({ error: { message: "bad json" } }, {
          status: 400,
        });
      }
      const as = chatAsResponses(body);
      const reply = { ...decide(as), waitMs: waitOf(as) };
      const model = typeof body.model === "string" ? body.model : "stub";
      if (body.stream !== true) {
        return Response.json(chatCompletion(reply, model));
      }
      const abort = new AbortController();
      streams.add(abort);
      const usage = isObject(body.stream_options) &&
        body.stream_options.include_usage === true;
      const events = chatStream(
        reply,
        { model, usage },
        abort,
        () => streams.delete(abort),
      );
      return new Response(events, {
        headers: {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
          "x-request-id": `req_stub_${counter}`,
        },
      });
    }
    if (request.method === "GET" && path === "/v1/models") {
      return Response.json({
        object: "list",
        data: [{ id: "gpt-5.5", object: "model", owned_by: "stub" }],
        models: [],
      });
    }
    if (request.method === "HEAD" || path === "" || path === "/v1") {
      return new Response(request.method === "HEAD" ? null : "ok");
    }
    return Response.json(
      { error: { message: `stub: no route ${request.method} ${path}` } },
      { status: 404 },
    );
  }

  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname,
      port: 0,
      onListen: () => {},
      onError: () => new Response("stub error", { status: 500 }),
    }, handle);
    const addr = server.addr as Deno.NetAddr;
    const host = addr.hostname.includes(":")
      ? `[${addr.hostname}]`
      : addr.hostname;
    const url = `http://${host}:${addr.port}`;
    resolve({
      url,
      baseUrl: `${url}/v1`,
      port: addr.port,
      requests,
      prompts: () => [...seenPrompts],
      async close() {
        for (const abort of streams) abort.abort();
        streams.clear();
        await server.shutdown();
      },
    });
  });
}

if (import.meta.main) {
  const stub = await startOpenAIStub();
  console.log(stub.baseUrl);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      stub.close().finally(() => Deno.exit(0));
    });
  }
}
