// The example project as a pull request sees it: `dvx init --example` (its own git repository), reproduced with
// `dvx repro` and committed as the base, with fixed identities and dates (tmp-repo's git), so its commits and
// outputs are the same on every run. dvx runs in-process (runCli); the stages are real `node` processes.
import { join } from "node:path";
import { runCli, type CliRun } from "./run-cli.js";
import { commitAll, tmpDir } from "./tmp-repo.js";

export interface ExampleRepo {
  /** The job's workspace; the project is its `example/` folder. */
  root: string;
  dir: string;
  /** The base commit: the example as created, reproduced. */
  base: string;
  dvx(...argv: string[]): Promise<CliRun>;
}

/** Runs dvx in `dir`; throws with its stderr unless it exits 0. */
async function ok(dir: string, argv: string[]): Promise<CliRun> {
  const r = await runCli(dir, argv);
  if (r.code !== 0) throw new Error(`dvx ${argv.join(" ")} exited ${r.code}: ${r.stderr}`);
  return r;
}

export async function exampleRepo(): Promise<ExampleRepo> {
  const root = tmpDir("dvx-example-pr-");
  await ok(root, ["init", "-q", "--example", "example"]);
  const dir = join(root, "example");
  await ok(dir, ["repro", "-q"]);
  const base = commitAll(dir, "the example, reproduced");
  return { root, dir, base, dvx: (...argv) => ok(dir, argv) };
}
