// Errors raised while resolving dvc.yaml (vars, interpolation, foreach/matrix) and reading params files.
import { AppError, EXIT } from "../errors.js";

/** dvc.yaml is well-formed but cannot be resolved: unknown variable, bad `${}` expression, vars conflict. */
export class PipelineResolveError extends AppError {
  constructor(
    readonly file: string,
    readonly where: string,
    readonly reason: string,
  ) {
    super("PIPELINE_RESOLVE", EXIT.pipeline, `failed to resolve '${where}' in '${file}': ${reason}`, {
      hint: "check the variable names against params.yaml and the `vars` section",
      details: { file, where, reason },
    });
  }
}

/**
 * A path of a stage in dvc.yaml (output, params file, wdir) that leaves the repository: a mistake in dvc.yaml (exit
 * code 6), not a corrupt file. Readers of old revisions do not fall back to dvc.lock on it (unlike schema errors).
 */
export class StagePathError extends AppError {
  constructor(
    readonly file: string,
    readonly stage: string,
    readonly what: "output" | "params file" | "wdir",
    readonly path: string,
  ) {
    super(
      "STAGE_PATH_OUTSIDE",
      EXIT.pipeline,
      `stage '${stage}' in '${file}': ${what} '${path}' is outside the repository`,
      {
        hint:
          what === "output"
            ? "outputs must be inside the repository (DVC 3 has no external outputs): write it under the project"
            : `a stage's ${what} must be inside the repository (only dependencies may be outside it)`,
        details: { path, source: file, stage, what },
      },
    );
  }
}

/** A params or vars file that is missing, unparsable, or not a mapping. */
export class ParamsFileError extends AppError {
  constructor(
    readonly file: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super("PARAMS_FILE", EXIT.pipeline, `cannot read params file '${file}': ${reason}`, {
      details: { file, reason },
      cause,
    });
  }
}
/** Two stages (or a stage and a .dvc file) declare the same output. */
export class OutputDuplicateError extends AppError {
  constructor(
    readonly path: string,
    readonly first: string,
    readonly second: string,
  ) {
    super("OUTPUT_DUPLICATE", EXIT.pipeline, `'${path}' is an output of both '${first}' and '${second}'`, {
      hint: "an output can be produced by one stage or .dvc file only: rename or remove one of them",
      details: { path, owners: [first, second] },
    });
  }
}

/** An output inside another output (of the same or another stage). */
export class OutputOverlapError extends AppError {
  constructor(
    readonly outer: string,
    readonly outerOwner: string,
    readonly inner: string,
    readonly innerOwner: string,
  ) {
    super(
      "OUTPUT_OVERLAP",
      EXIT.pipeline,
      `output '${inner}' of '${innerOwner}' is inside output '${outer}' of '${outerOwner}'`,
      {
        hint: "outputs must not overlap: declare the directory or the files in it, not both",
        details: { outer, outerOwner, inner, innerOwner },
      },
    );
  }
}

/** The stages depend on each other in a circle; `cycle` lists them in run order, the first one repeated. */
export class CycleError extends AppError {
  constructor(readonly cycle: string[]) {
    super("PIPELINE_CYCLE", EXIT.pipeline, `the pipeline has a cycle: ${cycle.join(" -> ")}`, {
      hint: "a stage cannot depend (directly or through other stages) on its own outputs: remove one dependency",
      details: { cycle },
    });
  }
}

/** A dependency that no stage or .dvc file produces and that does not exist in the workspace. */
export class MissingDependencyError extends AppError {
  constructor(
    readonly stage: string,
    readonly path: string,
  ) {
    super("DEPENDENCY_MISSING", EXIT.pipeline, `dependency '${path}' of stage '${stage}' does not exist`, {
      hint: `create it, track it ("dvx add ${path}", "dvx pull"), or add the stage that produces it`,
      details: { stage, path },
    });
  }
}

/** Params a stage tracks are missing from their file (or the file is missing). */
export class ParamsMissingError extends AppError {
  constructor(
    readonly stage: string,
    readonly file: string,
    readonly keys: string[],
  ) {
    super(
      "PARAMS_MISSING",
      EXIT.pipeline,
      keys.length === 0
        ? `params file '${file}' of stage '${stage}' does not exist`
        : `params ${keys.map((k) => `'${k}'`).join(", ")} of stage '${stage}' are missing from '${file}'`,
      {
        hint:
          keys.length === 0
            ? `create '${file}', or remove it from the stage's params`
            : `add them to '${file}', or remove them from the stage's params`,
        details: { stage, file, keys },
      },
    );
  }
}

/** `stage add` of a name that dvc.yaml already defines, without -f. */
export class StageExistsError extends AppError {
  constructor(
    readonly stage: string,
    readonly file: string,
  ) {
    super("STAGE_EXISTS", EXIT.failed, `stage '${stage}' already exists in '${file}'`, {
      hint: 'use "-f" to overwrite it, or choose another name',
      details: { stage, file },
    });
  }
}

/** A stage generated by foreach/matrix or written with `${}`: DVC cannot write it back, nor can dvx. */
export class ParametrizedStageError extends AppError {
  constructor(
    readonly stage: string,
    readonly file: string,
    readonly action: string,
  ) {
    super(
      "STAGE_PARAMETRIZED",
      EXIT.pipeline,
      `cannot ${action} stage '${stage}' in '${file}': it is generated by foreach/matrix or uses \${} interpolation`,
      {
        hint: `edit '${file}' by hand (e.g. add "frozen: true" to the definition)`,
        details: { stage, file, action },
      },
    );
  }
}
