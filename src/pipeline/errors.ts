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
