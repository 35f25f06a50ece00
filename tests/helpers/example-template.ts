// The example project of templates/example: copy it to a temp dir and run its stage scripts as a stage runner
// would (node <script>, cwd = the folder of dvc.yaml, DVC_ROOT and DVC_STAGE set), without dvx itself.
import { spawn } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tmpDir } from "./tmp-repo.js";

export const TEMPLATE = fileURLToPath(new URL("../../templates/example", import.meta.url));
export const STAGES = ["download", "split", "train", "evaluate"] as const;
export type StageName = (typeof STAGES)[number];

/** Every file a full run writes (the outs, metrics and plots of dvc.yaml). */
export const OUTPUTS = [
  "data/raw/penguins.csv",
  "data/train.csv",
  "data/test.csv",
  "model.json",
  "plots/loss.csv",
  "metrics.json",
  "plots/confusion.csv",
] as const;

export interface StageRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh copy of the template in a temp dir (removed after the test); `sub` nests it inside that dir. */
export function copyTemplate(sub = ""): { root: string; project: string } {
  const root = tmpDir("dvx-example-");
  const project = join(root, sub);
  cpSync(TEMPLATE, project, { recursive: true });
  return { root, project };
}

/** Runs one stage's script asynchronously (a loopback server in this process must keep answering). */
export function runStage(project: string, stage: StageName, dvcRoot = project): Promise<StageRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`src/${stage}.mjs`], {
      cwd: project,
      env: { ...process.env, DVC_ROOT: dvcRoot, DVC_STAGE: stage },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs stages in order; throws with the stage's stderr when one fails. */
export async function runStages(project: string, stages: readonly StageName[] = STAGES, dvcRoot = project) {
  for (const stage of stages) {
    const r = await runStage(project, stage, dvcRoot);
    if (r.code !== 0) throw new Error(`stage ${stage} exited ${r.code}: ${r.stderr}`);
  }
}

/** The bytes of every output, by path. */
export function snapshot(project: string): Record<string, Buffer> {
  return Object.fromEntries(OUTPUTS.map((p) => [p, readFileSync(join(project, p))]));
}

/** Replaces the `key: value` line of a params.yaml section (`section.key`), keeping the rest of the file. */
export function setParam(project: string, dotted: string, value: string | null): void {
  const [section, key] = dotted.split(".");
  const file = join(project, "params.yaml");
  const lines = readFileSync(file, "utf8").split("\n");
  const start = lines.indexOf(`${section}:`);
  const at = lines.findIndex((l, i) => i > start && l.startsWith(`  ${key}:`));
  if (start < 0 || at < 0) throw new Error(`params.yaml has no ${dotted} line`);
  if (value === null) lines.splice(at, 1);
  else lines[at] = `  ${key}: ${value}`;
  writeFileSync(file, lines.join("\n"));
}
