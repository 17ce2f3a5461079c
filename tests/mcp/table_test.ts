/**
 * The tool table on the SDK's own server and client: the JSON schema from
 * the zod shape, arguments checked before the handler runs, a thrown aimax
 * error as a tool error with its code.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { SessionNotFoundError } from "../../lib/errors.ts";
import { toolResult } from "../../lib/mcp/result.ts";
import { ToolTable } from "../../lib/mcp/table.ts";

Deno.test("table: schema from the shape, arguments checked first, errors with aimax's code", async () => {
  const seen: unknown[] = [];
  const table = new ToolTable();
  table.add("greet", {
    title: "Greet",
    description: "Says hello to name.",
    inputSchema: {
      name: z.string().describe("who"),
      times: z.number().optional(),
    },
    annotations: { readOnlyHint: true },
  }, (args) => {
    seen.push(args);
    if (args.name === "ghost") {
      return Promise.reject(new SessionNotFoundError(undefined, "ghost"));
    }
    return Promise.resolve(toolResult(`hello ${args.name}`, { ...args }));
  });
  const server = new Server({ name: "t", version: "1" }, {
    capabilities: { tools: {} },
  });
  table.install(server);
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "c", version: "1" });
  await Promise.all([server.connect(a), client.connect(b)]);
  try {
    const [tool] = (await client.listTools()).tools as {
      name: string;
      inputSchema: {
        required: string[];
        properties: Record<string, { description?: string }>;
      };
      annotations: unknown;
    }[];
    assert.equal(tool.name, "greet");
    assert.deepEqual(tool.inputSchema.required, ["name"]);
    assert.equal(tool.inputSchema.properties.name.description, "who");
    assert.deepEqual(tool.annotations, { readOnlyHint: true });
    const call = async (args: Record<string, unknown>) =>
      await client.callTool({
        name: "greet",
        arguments: args,
      }) as CallToolResult;
    const ok = await call({ name: "you" });
    assert.deepEqual(ok.structuredContent, {
      name: "you",
      summary: "hello you",
    });
    const bad = await call({ name: 3 });
    assert.equal(bad.isError, true);
    assert.match(
      (bad.content as { text: string }[])[0].text,
      /^error invalid_input: invalid arguments for greet: name: /,
    );
    const missing = await call({ name: "ghost" });
    assert.equal(
      (missing.structuredContent as { error: { code: string } }).error.code,
      "session_not_found",
    );
    assert.deepEqual(seen, [{ name: "you" }, { name: "ghost" }]);
  } finally {
    await client.close();
    await server.close();
  }
});
