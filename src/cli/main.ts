// Entry point: main(argv, io) → exit code. Never calls process.exit; renders every error here.
import { AppError, EXIT } from "../errors.js";
import type { CliIo } from "./io.js";
import { renderError } from "./render/error.js";
import { dvxVersion } from "../version.js";

export { realIo } from "./io.js";

export { dvxVersion } from "../version.js";

export async function main(argv: string[], io: CliIo): Promise<number> {
  // fast path: nothing else is loaded for --version
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    io.stdout(`${dvxVersion()}\n`);
    return EXIT.ok;
  }
  // The AWS SDK warns on every run under Node 20 that its releases from 2027 on will need Node 22. dvx pins
  // its SDK version and supports Node 20: the notice is not for dvx's users (and would break stderr-only JSON).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const json = argv.includes("--json");
  const verbose = argv.includes("-v") || argv.includes("--verbose");
  try {
    const { runProgram } = await import("./program.js");
    return await runProgram(argv, io);
  } catch (err) {
    const { text, exitCode } = renderError(err, { json, verbose });
    io.stderr(text);
    return err instanceof AppError ? exitCode : exitCode;
  }
}
