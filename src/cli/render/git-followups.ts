// The closing hint of commands that leave files for git: what to `git add` (or that dvx staged them).
import { shellQuote } from "../../util/shell-quote.js";

export function gitFollowupsText(f: { gitAdd: string[]; staged: boolean }): string {
  if (f.gitAdd.length === 0) return "";
  const quoted = f.gitAdd.map(shellQuote).join(" ");
  if (f.staged) return `staged with git: ${quoted}\n`;
  return (
    `\nTo track the changes with git, run:\n\n\tgit add ${quoted}\n\n` +
    `To enable auto staging, run:\n\n\tdvx config core.autostage true\n`
  );
}
