// A repository with three revisions of every kind of plot dvx draws (shared by the plots tests).
import type { TmpRepo } from "./tmp-repo.js";
import { makeRepo } from "./tmp-repo.js";

export const PNG_1PX = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

export const DVC_YAML = `stages:
  train:
    cmd: "true"
    plots:
      - loss.csv:
          cache: false
          x: epoch
          y: loss
      - eval/conf.json:
          cache: false
          template: confusion
          x: actual
          y: predicted
      - roc.png:
          cache: false
plots:
  - Accuracy:
      x: epoch
      y:
        loss.csv: [acc, loss]
      title: Accuracy and loss
  - eval/importance.json:
      template: bar_horizontal
      x: imp
      y: name
`;

export const lossCsv = (k: number): string =>
  "epoch,loss,acc\n" +
  Array.from(
    { length: 20 },
    (_, i) => `${i},${(1 / (i + 1) + k / 10).toFixed(4)},${(i / 20 - k / 20).toFixed(4)}`,
  ).join("\n") +
  "\n";
const conf = (k: number): string =>
  JSON.stringify(Array.from({ length: 30 }, (_, i) => ({ actual: String(i % 3), predicted: String((i + k) % 3) })));
const importance = (k: number): string =>
  JSON.stringify({
    features: [
      { name: "a", imp: 0.5 + k / 10 },
      { name: "b", imp: 0.25 },
    ],
  });

/** A repo with three commits v0, v1, v2 of every plot file; HEAD is v2. */
export async function threeRevisions(): Promise<TmpRepo> {
  const repo = await makeRepo({ files: { "dvc.yaml": DVC_YAML } });
  for (const k of [0, 1, 2]) {
    repo.write({
      "loss.csv": lossCsv(k),
      "eval/conf.json": conf(k),
      "eval/importance.json": importance(k),
      "roc.png": Buffer.concat([PNG_1PX, Buffer.from([k])]),
    });
    repo.commit(`v${k}`);
  }
  return repo;
}
