/**
 * The prompt-paste recorder: an analytics hook called on every paste
 * through any backend.
 *
 * @module
 */

/**
 * One paste, as handed to the recorder.
 *
 * @example
 * ```ts
 * import { type PromptPasteEvent, setRecorder } from "@aimax/cli";
 * const events: PromptPasteEvent[] = [];
 * setRecorder((event) => events.push(event));
 * ```
 */
export interface PromptPasteEvent {
  /** Backend name, `tmux-<agent>`. */
  backendName: string;
  /** The aimax session id. */
  sessionId: string;
  /** Length of the pasted text, in characters. */
  contentLength: number;
}

/**
 * A function that receives paste events.
 *
 * @example
 * ```ts
 * import { type PromptRecorder, setRecorder } from "@aimax/cli";
 * const log: PromptRecorder = ({ backendName, sessionId, contentLength }) =>
 *   console.log(backendName, sessionId, contentLength);
 * setRecorder(log);
 * ```
 */
export type PromptRecorder = (event: PromptPasteEvent) => void;

let recorder: PromptRecorder | undefined;

/**
 * Installs (or with `undefined` removes) the recorder.
 *
 * @example
 * ```ts
 * import { setRecorder } from "@aimax/cli";
 * setRecorder((event) => console.log(event.backendName, event.contentLength));
 * ```
 * @param fn the recorder
 */
export function setRecorder(fn: PromptRecorder | undefined): void {
  recorder = fn;
}

/**
 * Hands one event to the recorder; a throwing recorder never breaks a paste.
 *
 * @param event the paste
 */
export function recordPromptPaste(event: PromptPasteEvent): void {
  if (!recorder) return;
  try {
    recorder(event);
  } catch (error) {
    console.error("aimax: prompt recorder failed:", error);
  }
}
