// Failures of `dvx runs` (run records). A bad --filter is a usage error (filter-parse.ts).
import { AppError, EXIT } from "../../errors.js";

/** No run record answers to an id (or id prefix, experiment name or commit). */
export class RunNotFoundError extends AppError {
  constructor(id: string) {
    super("RUN_NOT_FOUND", EXIT.failed, `no run record '${id}'`, {
      hint: 'list them with "dvx runs list --all"',
      details: { id },
    });
  }
}

/** An id prefix that several run records share. */
export class AmbiguousRunError extends AppError {
  constructor(id: string, ids: string[]) {
    super("RUN_AMBIGUOUS", EXIT.failed, `'${id}' is the start of ${ids.length} run ids`, {
      hint: `give more of the id: ${ids.slice(0, 3).join(", ")}${ids.length > 3 ? ", …" : ""}`,
      details: { id, ids },
    });
  }
}
