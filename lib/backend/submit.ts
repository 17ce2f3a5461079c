/**
 * The prompt's way in: from a checked, emptied input box to a record in the
 * agent's transcript. Landing is confirmed from the transcript (a watcher
 * armed before the paste; `landing.ts` presses the submit key again only
 * while the prompt still sits in the input box), a new session's
 * transcript is discovered after its first prompt when the agent names it
 * only then, and follow-ups queued
 * behind a turn are remembered so that `pause` can submit again what its
 * interrupt took back.
 *
 * @module
 */
import { join } from "../path.ts";
import type { AgentProfile } from "../agents/agent.ts";
import {
  AgentScreenError,
  AimaxError,
  AwaitingInputError,
  InputError,
} from "../errors.ts";
import { flagPaths, writeRunningFlag } from "../flags.ts";
import { endOfCompleteLines } from "../jsonl/start.ts";
import { watchJsonl } from "../jsonl/watcher.ts";
import { hexDigest } from "../hash.ts";
import { withFileLock } from "../lock.ts";
import { pollUntil } from "../poll.ts";
import { recordPromptPaste } from "../recorder.ts";
import { sessionKey, type SessionRecord } from "../state.ts";
import type { Delivery } from "./contract.ts";
import { type BackendContext, paneOf } from "./context.ts";
import { dialogInfoOf } from "./dialogs.ts";
import { confirmLanding, landingTimings } from "./landing.ts";
import { type Pane, type PaneView, sessionDead } from "./pane.ts";
import {
  notStarted,
  pendingPath,
  type PendingPrompt,
  readPending,
  writePending,
} from "./pending.ts";

/** How a prompt is submitted. */
export type SubmitMode = "first" | "queue" | "interrupt";

/** What a submission achieved. */
export interface Submitted {
  /** Whether the transcript confirmed it. */
  delivery: Delivery;
  /** Whether it was queued behind a running turn. */
  queued: boolean;
  /** Queued follow-ups submitted again after a pause. */
  resubmitted: number;
  /** The agent conversation (discovered after the first prompt for some agents). */
  agentSessionId: string | null;
  /** Its transcript. */
  jsonlPath: string | null;
}

/**
 * Refuses a prompt that would end the agent (`/exit`): the session would be
 * left without its agent and the request without an answer. `aimax stop`
 * ends a session.
 *
 * @param profile the agent
 * @param text the sanitised prompt
 */
export function refuseExitCommand(profile: AgentProfile, text: string): void {
  const command = text.trim().split(/\s+/)[0];
  if (profile.exitCommands.includes(command)) {
    throw new InputError(
      `the prompt "${command}" would end ${profile.label}; \`aimax stop\` stops a session`,
    );
  }
}

/**
 * Submits `text` to the session: `first` (the session was just created),
 * `queue` (behind a running turn, if any) or `interrupt` (stop the running
 * turn first, then submit the follow-ups it took back). Runs under the
 * session's lock (the caller holds it).
 *
 * @param ctx the backend
 * @param record the session
 * @param options the sanitised prompt and the mode
 */
export async function submit(
  ctx: BackendContext,
  record: SessionRecord,
  options: { text: string; mode: SubmitMode },
): Promise<Submitted> {
  try {
    return await submitTo(ctx, record, options);
  } catch (error) {
    // Refused at a dialog: what was seen reaches the followers too.
    if (error instanceof AwaitingInputError) {
      await dialogInfoOf(
        ctx,
        record.sessionId,
        ctx.profile.readScreen(error.screen),
      );
    }
    throw error;
  }
}

async function submitTo(
  ctx: BackendContext,
  record: SessionRecord,
  options: { text: string; mode: SubmitMode },
): Promise<Submitted> {
  const pane = paneOf(ctx, record);
  // One look (one tmux call) tells alive, dialog, and what the box holds.
  const first = await pane.view();
  if (!first.alive) throw sessionDead(ctx.profile, record.sessionId);
  const ledger = pendingPath(ctx.config.dataDir, {
    backend: ctx.name,
    sessionId: record.sessionId,
  });
  const pending = await notStarted(await readPending(ledger), {
    jsonlPath: record.jsonlPath,
    profile: ctx.profile,
  });
  if (options.mode !== "interrupt") {
    const result = await submitOnce(ctx, record, {
      pane,
      text: options.text,
      queue: options.mode === "queue",
      first,
    });
    const queued = result.queued ? [result.pending!] : [];
    await writePending(ledger, [...pending, ...queued]);
    return result;
  }
  const outcome = await pane.interrupt({
    first,
    handedOn: async () =>
      pending.length > 0 &&
      (await notStarted(pending, {
          jsonlPath: record.jsonlPath,
          profile: ctx.profile,
        })).length < pending.length,
  });
  if (outcome !== "stopped") {
    // Nothing was taken back: idle, or the agent went on with its queued
    // follow-ups by itself (some agents do), so the new prompt queues
    // behind.
    const result = await submitOnce(ctx, record, {
      pane,
      text: options.text,
      queue: outcome === "handed-on",
    });
    const left = await notStarted(pending, {
      jsonlPath: record.jsonlPath,
      profile: ctx.profile,
    });
    await writePending(ledger, [
      ...left,
      ...(result.pending ? [result.pending] : []),
    ]);
    return result;
  }
  // The interrupt took the queued follow-ups back (some agents do): they are
  // submitted again after the new prompt, in order.
  await writePending(ledger, []);
  const result = await submitOnce(ctx, record, {
    pane,
    text: options.text,
    queue: false,
  });
  const now = { ...record, ...paths(result) };
  const requeued: PendingPrompt[] = [];
  for (const prompt of pending) {
    const next = await submitOnce(ctx, now, {
      pane: paneOf(ctx, now),
      text: prompt.text,
      queue: true,
    });
    if (next.pending) requeued.push(next.pending);
  }
  await writePending(ledger, requeued);
  return { ...result, resubmitted: pending.length };
}

function paths(result: Submitted) {
  return { agentSessionId: result.agentSessionId, jsonlPath: result.jsonlPath };
}

interface Once extends Submitted {
  /** The ledger entry when the prompt was queued behind a turn. */
  pending?: PendingPrompt;
}

async function submitOnce(
  ctx: BackendContext,
  record: SessionRecord,
  options: { pane: Pane; text: string; queue: boolean; first?: PaneView },
): Promise<Once> {
  if (!record.jsonlPath && ctx.profile.discover) {
    // The transcript is found after the first prompt, by what was sent:
    // first prompts in one cwd go one at a time (across processes), so two
    // sessions started at once cannot take each other's thread.
    return await withFileLock(
      join(
        ctx.config.dataDir,
        "locks",
        `${ctx.name}.first-prompt.${await hexDigest(record.cwd, {
          bytes: 8,
        })}.lock`,
      ),
      () => submitNow(ctx, record, options),
      { timeoutMs: ctx.timings.lockTimeoutMs },
    );
  }
  return await submitNow(ctx, record, options);
}

async function submitNow(
  ctx: BackendContext,
  record: SessionRecord,
  options: { pane: Pane; text: string; queue: boolean; first?: PaneView },
): Promise<Once> {
  const { pane, text } = options;
  const box = await pane.clear(options.first);
  const working = options.queue && await pane.working(box);
  const key = working ? ctx.profile.queueKey : "Enter";
  // Armed before the paste, so a fast agent's record cannot be missed.
  const offset = record.jsonlPath
    ? await endOfCompleteLines(record.jsonlPath)
    : 0;
  const landing = record.jsonlPath
    ? await watchLanding(ctx, record.jsonlPath, { offset, text })
    : undefined;
  await writeRunningFlag(record.flagRoot, {
    sessionId: record.sessionId,
    backend: ctx.name,
    submittedAt: new Date().toISOString(),
  });
  const sentAt = Date.now();
  let found = {
    agentSessionId: record.agentSessionId,
    jsonlPath: record.jsonlPath,
  };
  let landed = false;
  try {
    await pane.type(text, key);
    landed = await confirmLanding(pane, {
      text,
      key,
      timings: landingTimings(record, ctx.timings),
      onScreen: working ? ctx.profile.queuedOnScreen : undefined,
      ...(landing ? { landed: landing.landed } : {
        discover: async () => {
          const discovered = await discover(ctx, record, { text, sentAt });
          if (discovered) found = discovered;
          return discovered !== undefined;
        },
      }),
    });
    if (!landed && await pane.stillHolds(text)) {
      throw new AgentScreenError(
        `${ctx.profile.label} did not take the prompt: it is still in the input box ${
          ctx.timings.takeWaitMs / 1000
        } s after ${key} was pressed again (up to ${ctx.timings.submitRetries} times)`,
        await pane.screen().catch(() => ""),
      );
    }
  } catch (error) {
    await Deno.remove(flagPaths(record.flagRoot, record.sessionId).running)
      .catch(() => {});
    throw error;
  } finally {
    await landing?.stop();
  }
  recordPromptPaste({
    backendName: ctx.name,
    sessionId: record.sessionId,
    contentLength: text.length,
  });
  await ctx.store.patch(ctx.name, record.sessionId, {
    lastPromptAt: new Date(sentAt).toISOString(),
    agentSessionId: found.agentSessionId,
    jsonlPath: found.jsonlPath,
    flagRoot: record.flagRoot,
  });
  return {
    delivery: landed ? "confirmed" : "unconfirmed",
    queued: working,
    resubmitted: 0,
    ...found,
    pending: working
      ? { text, offset, queuedAt: new Date(sentAt).toISOString() }
      : undefined,
  };
}

/** A watcher for the prompt's record in the transcript. */
interface Landing {
  landed: Promise<void>;
  stop: () => Promise<void>;
}

async function watchLanding(
  ctx: BackendContext,
  path: string,
  options: { offset: number; text: string },
): Promise<Landing> {
  let resolve!: () => void;
  const landed = new Promise<void>((r) => resolve = r);
  const stop = await watchJsonl(path, (entry) => {
    if (ctx.profile.promptRecord(entry.value, options.text)) resolve();
  }, { fromOffset: options.offset });
  return { landed, stop };
}

/**
 * Finds a new session's transcript after its first prompt. The scan runs
 * outside the state lock; only the claim takes it, and a thread another
 * session claimed meanwhile is looked past. Polls up to `landingWaitMs`.
 *
 * @param ctx the backend
 * @param record the session (its record must be in the state store)
 * @param options the first prompt's text and when it was sent (epoch ms)
 * @returns the claimed thread, or `undefined` when none was found in time
 */
export async function discover(
  ctx: BackendContext,
  record: SessionRecord,
  options: { text: string; sentAt: number },
): Promise<{ agentSessionId: string; jsonlPath: string } | undefined> {
  const find = ctx.profile.discover;
  if (!find) {
    throw new AimaxError(
      "no_transcript",
      `${ctx.profile.label} session "${record.sessionId}" has no known transcript`,
    );
  }
  const own = sessionKey(ctx.name, record.sessionId);
  const taken = async () =>
    new Set(
      (await ctx.store.list())
        .filter((s) => sessionKey(s.backend, s.sessionId) !== own)
        .map((s) => s.agentSessionId)
        .filter((id): id is string => id !== null),
    );
  const found = await pollUntil(async () => {
    const hit = await find({
      config: ctx.config,
      record,
      prompt: options.text,
      sentAt: options.sentAt,
      taken: await taken(),
    });
    if (!hit) return undefined;
    const claimed = await ctx.store.claimAgentSession(
      ctx.name,
      record.sessionId,
      hit,
    );
    return claimed ? hit : undefined;
  }, { timeoutMs: ctx.timings.landingWaitMs, intervalMs: ctx.timings.pollMs });
  return found.timedOut ? undefined : found.value;
}
