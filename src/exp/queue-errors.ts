// Failures of the experiment queue (`dvx exp run --queue`, `dvx queue …`; docs/queue.md). Exit codes from the table
// in README "Exit codes": another runner holding the queue is "lock busy" (8); an unknown or busy entry fails (1).
import { AppError, EXIT } from "../errors.js";

/** A second `dvx queue start` while one runs (the runner lock is held by a live process). */
export class QueueRunningError extends AppError {
  constructor(holder: string) {
    super("QUEUE_RUNNING", EXIT.lockBusy, `the queue is already being run by ${holder}`, {
      hint:
        'watch it with "dvx queue status", stop it with "dvx queue stop" (or "--kill"), or wait for it to finish; ' +
        "experiments queued meanwhile are picked up by the running one",
      details: { holder },
    });
  }
}

/** gc while the queue runs: its experiments write objects no ref records yet, which gc would delete. */
export class QueueActiveError extends AppError {
  constructor(holder: string, command: string) {
    super(
      "QUEUE_ACTIVE",
      EXIT.lockBusy,
      `the experiment queue is running (${holder}): ${command} could delete the objects its experiments are writing`,
      {
        hint: 'wait for it to finish ("dvx queue status") or stop it ("dvx queue stop"), then run it again',
        details: { holder, command },
      },
    );
  }
}

/** No queue entry answers to a name (or id). */
export class QueueEntryNotFoundError extends AppError {
  constructor(names: string[]) {
    super("QUEUE_ENTRY_NOT_FOUND", EXIT.failed, `no queued experiment named ${names.map((n) => `'${n}'`).join(", ")}`, {
      hint: 'list the queue with "dvx queue status"',
      details: { names },
    });
  }
}

/** A name matches several queue entries (queued on different baselines). */
export class QueueEntryAmbiguousError extends AppError {
  constructor(name: string, ids: string[]) {
    super("QUEUE_ENTRY_AMBIGUOUS", EXIT.failed, `'${name}' names ${ids.length} queue entries`, {
      hint: `use the task id instead (${ids.join(", ")})`,
      details: { name, ids },
    });
  }
}

/** The entry is in the wrong state for the command (remove of a running one, kill of one not running). */
export class QueueEntryStateError extends AppError {
  constructor(name: string, status: string, action: string, hint: string) {
    super("QUEUE_ENTRY_STATE", EXIT.failed, `cannot ${action} '${name}': it is ${status}`, {
      hint,
      details: { name, status, action },
    });
  }
}

/** The isolated workspace of a queued experiment could not be made (git worktree, checkout of its files). */
export class QueueWorkspaceError extends AppError {
  constructor(name: string, reason: string) {
    super("QUEUE_WORKSPACE", EXIT.failed, `cannot prepare the workspace of '${name}': ${reason}`, {
      hint: "check that the system git works in this repository (git worktree add), then run the queue again",
      details: { name, reason },
    });
  }
}
