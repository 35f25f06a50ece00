// Failures while running a pipeline (the definition was valid; something at run time was not).
import { AppError, EXIT } from "../../errors.js";

/** A stage's command exited non-zero (or was killed by a signal). */
export class StageFailedError extends AppError {
  constructor(
    readonly stage: string,
    readonly exitStatus: number | null,
    readonly killedBy: string | null,
  ) {
    super(
      "STAGE_FAILED",
      EXIT.failed,
      `stage '${stage}' failed: its command ` +
        (killedBy ? `was killed by ${killedBy}` : `exited with code ${exitStatus}`),
      {
        hint: `fix the command and run "dvx repro" again: stages that finished are recorded in dvc.lock`,
        details: { stage, exitCode: exitStatus, signal: killedBy },
      },
    );
  }
}

/** A stage ran but did not produce one of its declared outputs. */
export class StageOutputMissingError extends AppError {
  constructor(
    readonly stage: string,
    readonly path: string,
  ) {
    super("STAGE_OUTPUT_MISSING", EXIT.failed, `stage '${stage}' did not create its output '${path}'`, {
      hint: "make the command write it, or remove it from the stage's outs",
      details: { stage, path },
    });
  }
}

/** A .dvc-tracked input of the pipeline is missing from the workspace. */
export class DataSourceMissingError extends AppError {
  constructor(
    readonly file: string,
    readonly paths: string[],
  ) {
    super(
      "DATA_SOURCE_MISSING",
      EXIT.failed,
      `data source '${file}' is missing from the workspace: ${paths.join(", ")}`,
      {
        hint: `restore it with "dvx checkout ${file}" or "dvx pull ${file}" (or use --allow-missing)`,
        details: { file, paths },
      },
    );
  }
}
