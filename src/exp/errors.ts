// Failures of experiment commands (docs/formats.md §11). Exit codes from the table in README "Exit codes":
// bad input on the command line is a usage error (2); a name clash or an unknown experiment fails the command (1).
import { AppError, EXIT } from "../errors.js";

/** `-n NAME` (or a rename target) is not usable as an experiment name. */
export class InvalidNameError extends AppError {
  constructor(name: string, reason: string, what = "experiment name") {
    super("INVALID_NAME", EXIT.usage, `'${name}' is not a valid ${what}: ${reason}`, {
      hint: "use letters, digits, '-', '_' and '.' (git ref rules: no spaces, '~^:?*[\\', '..', or trailing '.lock')",
      details: { name, reason },
    });
  }
}

/** An experiment of that name already exists on this baseline. */
export class ExperimentExistsError extends AppError {
  constructor(name: string, ref: string, hint?: string) {
    super("EXPERIMENT_EXISTS", EXIT.failed, `experiment '${name}' already exists`, {
      hint: hint ?? `pick another name with -n, or overwrite it with -f`,
      details: { name, ref },
    });
  }
}

/** No experiment (or several, on other baselines) answers to a name. */
export class ExperimentNotFoundError extends AppError {
  constructor(names: string[]) {
    super("EXPERIMENT_NOT_FOUND", EXIT.failed, `no experiment named ${names.map((n) => `'${n}'`).join(", ")}`, {
      hint: 'list them with "dvx exp list --all-commits"',
      details: { names },
    });
  }
}

export class AmbiguousExperimentError extends AppError {
  constructor(name: string, refs: string[]) {
    super("EXPERIMENT_AMBIGUOUS", EXIT.failed, `'${name}' names ${refs.length} experiments on other baselines`, {
      hint: "pass the full ref (refs/exps/…) of the one you mean",
      details: { name, refs },
    });
  }
}

/** A `-S/--set-param` override that cannot be applied; nothing was written. */
export class ParamOverrideError extends AppError {
  constructor(override: string, reason: string, hint?: string) {
    super("PARAM_OVERRIDE", EXIT.usage, `invalid --set-param '${override}': ${reason}`, {
      hint: hint ?? "write it as [file:]key=value (default file params.yaml), +key=value to add, ~key to delete",
      details: { override, reason },
    });
  }
}

/** The index has unmerged (conflicted) paths: git could not commit it either. */
export class UnmergedIndexError extends AppError {
  constructor(paths: string[]) {
    super("UNMERGED_FILES", EXIT.failed, `the git index has unmerged files: ${paths.slice(0, 3).join(", ")}`, {
      hint: 'resolve the conflicts and "git add" the files first',
      details: { paths },
    });
  }
}

/** Files the command would overwrite hold changes that are saved nowhere (neither in git nor in an experiment). */
export class UnsavedChangesError extends AppError {
  constructor(paths: string[], action: string) {
    super(
      "UNSAVED_CHANGES",
      EXIT.failed,
      `${action} would overwrite changes that are not saved anywhere: ${paths
        .slice(0, 3)
        .map((p) => `'${p}'`)
        .join(", ")}${paths.length > 3 ? ", ..." : ""}`,
      {
        hint: 'commit them, save them as an experiment ("dvx exp save"), or use -f to discard them',
        details: { paths },
      },
    );
  }
}

/** An experiment run stopped because a stage failed; no experiment was recorded. */
export class ExperimentFailedError extends AppError {
  constructor(name: string, stage: string, message: string) {
    super("EXPERIMENT_FAILED", EXIT.failed, `experiment '${name}' failed: ${message}`, {
      hint: "fix the stage and run it again; the workspace keeps what ran (and the -S changes)",
      details: { name, stage },
    });
  }
}

/** HEAD has no commit yet: there is no baseline to run an experiment on. */
export class NoBaselineError extends AppError {
  constructor() {
    super("NO_BASELINE", EXIT.failed, "the repository has no commit yet, so there is no baseline for an experiment", {
      hint: 'commit your project first ("git add -A && git commit")',
    });
  }
}

/** `exp branch` to a branch that exists already. */
export class BranchExistsError extends AppError {
  constructor(branch: string) {
    super("BRANCH_EXISTS", EXIT.failed, `branch '${branch}' already exists`, {
      hint: "pick another branch name",
      details: { branch },
    });
  }
}
