// What every command action gets: the io, global flags, a reporter, and a way to open the repo.
import type { Reporter } from "../core/reporter.js";
import type { CliIo } from "./io.js";

export interface GlobalFlags {
  quiet: boolean;
  verbose: boolean;
  cwd: string;
}

export interface CliContext {
  io: CliIo;
  /** The command line as given (after "dvx"), for run records. */
  argv: string[];
  flags: GlobalFlags;
  reporter(json: boolean): Reporter;
  /** Set by an action; main returns it. */
  exitCode: number;
}
