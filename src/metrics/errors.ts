// Errors about metrics files. They are usually data, not failures: an unreadable file at one revision is
// reported next to the answer for the rest (exit 0); they are thrown only where a file is all there is.
import { AppError, EXIT } from "../errors.js";

/** A metrics file that cannot be parsed (bad JSON/YAML/TOML). */
export class MetricsFileError extends AppError {
  constructor(
    readonly file: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super("METRICS_FILE", EXIT.failed, `cannot read metrics file '${file}': ${reason}`, {
      hint: "fix the file (or the stage that writes it) so that it holds valid JSON, YAML or TOML",
      details: { file, reason },
      cause,
    });
  }
}
