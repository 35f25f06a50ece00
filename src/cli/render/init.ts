// `dvx init`'s closing message, as DVC words it; and `init --example`'s.
import { relative } from "node:path";

export const initText = (scm: boolean): string =>
  "Initialized DVC repository.\n" +
  (scm ? '\nYou can now commit the changes to git:\n\n\tgit commit -m "Initialize DVC"\n' : "");

/** `dvx init --example`: where the project is and what to run next. */
export function initExampleText(cwd: string, dir: string): string {
  const shown = relative(cwd, dir) || ".";
  return (
    `Created the example project in ${shown} (git repository, dvx, a four-stage pipeline), staged with git.\n\n` +
    `Next:\n\n\tcd ${shown}\n\tdvx repro\n\tgit add -A && git commit -m "first model"\n`
  );
}
