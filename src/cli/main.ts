// Entry point: main(argv, io) → exit code. Never calls process.exit; renders every error here.
import { EXIT } from "../errors.js";
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
  const json = argv.includes("--json");
  const verbose = argv.includes("-v") || argv.includes("--verbose");
  try {
    const { runProgram } = await import("./program.js");
    return await runProgram(argv, io);
  } catch (err) {
    const { text, exitCode } = renderError(err, { json, verbose });
    io.stderr(text);
    return exitCode;
  }
}
