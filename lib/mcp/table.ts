/**
 * The table of MCP tools and how it answers `tools/list` and `tools/call`
 * on the SDK's `Server`: each tool's JSON schema comes from its `zod`
 * shape, its arguments are checked against that shape before it runs (bad
 * ones are a tool error with aimax's `invalid_input` naming the field),
 * and whatever it throws becomes a tool error with aimax's code.
 *
 * @module
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
  type ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { toolError } from "./result.ts";
import type { ToolExtra } from "./wait.ts";

/**
 * A tool as the table declares it: its title, the description a model
 * reads, its arguments' shape and its hints.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import type { ToolConfig } from "./table.ts";
 * const config: ToolConfig<{ name: z.ZodString }> = {
 *   title: "Greet",
 *   description: "Says hello to name.",
 *   inputSchema: { name: z.string() },
 * };
 * ```
 */
export interface ToolConfig<S extends z.ZodRawShape> {
  /** A short title for people. */
  title: string;
  /** What the tool does, written for a model. */
  description: string;
  /** The arguments' shape (also their JSON schema). */
  inputSchema: S;
  /** Hints: read-only, destructive. */
  annotations?: ToolAnnotations;
}

interface Entry {
  definition: Tool;
  run(args: unknown, extra: ToolExtra): Promise<CallToolResult>;
}

/** One line per problem: `field: what is wrong`. */
function issuesText(error: z.ZodError): string {
  return error.issues.map((issue) =>
    `${issue.path.join(".") || "arguments"}: ${issue.message}`
  ).join("; ");
}

/**
 * The tools of one server, in the order they were added.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { toolResult } from "./result.ts";
 * import { ToolTable } from "./table.ts";
 * const table = new ToolTable();
 * table.add("greet", {
 *   title: "Greet",
 *   description: "Says hello to name.",
 *   inputSchema: { name: z.string() },
 * }, ({ name }) => Promise.resolve(toolResult(`hello ${name}`, { name })));
 * console.log(table.names); // ["greet"]
 * ```
 */
export class ToolTable {
  readonly #entries = new Map<string, Entry>();

  /** The tools' names, in order. */
  get names(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * Adds a tool whose handler receives its arguments checked and typed
   * from `config.inputSchema`.
   *
   * @param name the tool's name
   * @param config title, description, shape, hints
   * @param handler does the work
   */
  add<S extends z.ZodRawShape>(
    name: string,
    config: ToolConfig<S>,
    handler: (
      args: z.infer<z.ZodObject<S, z.core.$strict>>,
      extra: ToolExtra,
    ) => Promise<CallToolResult>,
  ): void {
    // Strict: an argument the tool does not know is refused, not ignored.
    const schema = z.strictObject(config.inputSchema);
    this.#entries.set(name, {
      definition: {
        name,
        title: config.title,
        description: config.description,
        inputSchema: z.toJSONSchema(schema, { io: "input" }) as Tool[
          "inputSchema"
        ],
        ...(config.annotations ? { annotations: config.annotations } : {}),
      },
      run: async (args, extra) => {
        const parsed = schema.safeParse(args ?? {});
        if (!parsed.success) {
          return toolError(
            new InputError(
              `invalid arguments for ${name}: ${issuesText(parsed.error)}`,
            ),
          );
        }
        try {
          return await handler(parsed.data, extra);
        } catch (error) {
          return toolError(error);
        }
      },
    });
  }

  /**
   * Answers `tools/list` and `tools/call` on `server` from the table (an
   * unknown tool's name is a protocol error, as the specification says).
   *
   * @param server the SDK's low-level server
   */
  install(server: Server): void {
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [...this.#entries.values()].map((e) => e.definition),
    }));
    // The SDK's request type does not come through its zod 4 schema under
    // this TypeScript: the parameters say what a `tools/call` carries.
    server.setRequestHandler(CallToolRequestSchema, (
      request: { params: { name: string; arguments?: unknown } },
      extra: ToolExtra,
    ) => {
      const entry = this.#entries.get(request.params.name);
      if (!entry) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `no tool "${request.params.name}"; the tools are ${
            this.names.join(", ")
          }`,
        );
      }
      return entry.run(request.params.arguments, extra);
    });
  }
}
