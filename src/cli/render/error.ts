// Renders any thrown value: AppError → "error: …" + "hint: …" (or one JSON object on stderr with --json).
import { AppError, EXIT } from "../../errors.js";

export interface ErrorRenderOptions {
  json: boolean;
  verbose: boolean;
}

export function renderError(err: unknown, opts: ErrorRenderOptions): { text: string; exitCode: number } {
  if (err instanceof AppError) {
    if (opts.json) return { text: JSON.stringify({ error: err.toJSON() }) + "\n", exitCode: err.exitCode };
    let text = `error: ${err.message}\n`;
    if (err.hint) text += `hint: ${err.hint}\n`;
    if (opts.verbose) text += causeChain(err);
    return { text, exitCode: err.exitCode };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  if (opts.json) {
    const body = {
      code: "INTERNAL",
      message: e.message,
      hint: "this is a bug, please report it with the output of dvx --version",
      details: {},
    };
    return { text: JSON.stringify({ error: body }) + "\n", exitCode: EXIT.internal };
  }
  return {
    text:
      `internal error: ${e.message}\n${e.stack ?? ""}\n` +
      `this is a bug, please report it with the output of "dvx --version"\n`,
    exitCode: EXIT.internal,
  };
}

function causeChain(err: Error): string {
  let out = "";
  let cur: unknown = err.cause;
  while (cur) {
    out += `caused by: ${cur instanceof Error ? (cur.stack ?? cur.message) : String(cur)}\n`;
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return out;
}
