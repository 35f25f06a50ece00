// Stage `evaluate`: scores model.json on data/test.csv. Writes metrics.json (accuracy, macro-averaged F1,
// test log-loss, per-class precision/recall/F1/support) and plots/confusion.csv, one `actual,predicted`
// record per test row: the input of DVC's `confusion` plot template.
import { readFileSync } from "node:fs";
import { LABEL, StageError, columns, readCsv, round, runStage, softmax, stableJson, writeOut } from "./common.mjs";

const IN = "data/test.csv";

runStage("evaluate", () => {
  const model = readModel("model.json");
  const { header, rows } = readCsv(IN);
  if (rows.length === 0) throw new StageError(`${IN} has no rows`);
  const idx = columns(header, [LABEL, ...model.features], IN);

  const pairs = [];
  let loss = 0;
  for (const r of rows) {
    const x = idx.slice(1).map((i, j) => (Number(r[i]) - model.mean[j]) / model.std[j]);
    const p = softmax(model.weights.map((wk, k) => wk.reduce((s, w, j) => s + w * x[j], model.bias[k])));
    const best = p.indexOf(Math.max(...p));
    const actual = r[idx[0]];
    const k = model.classes.indexOf(actual);
    loss -= Math.log(Math.max(k >= 0 ? p[k] : 0, 1e-15));
    pairs.push([actual, model.classes[best]]);
  }

  const classes = [...new Set([...model.classes, ...pairs.map(([a]) => a)])].sort();
  const perClass = {};
  let f1Sum = 0;
  for (const c of classes) {
    const tp = pairs.filter(([a, p]) => a === c && p === c).length;
    const predicted = pairs.filter(([, p]) => p === c).length;
    const support = pairs.filter(([a]) => a === c).length;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    f1Sum += f1;
    perClass[c] = { f1: round(f1), precision: round(precision), recall: round(recall), support };
  }
  const correct = pairs.filter(([a, p]) => a === p).length;
  const metrics = {
    accuracy: round(correct / pairs.length),
    loss: round(loss / pairs.length),
    macro_f1: round(f1Sum / classes.length),
    per_class: perClass,
  };
  writeOut("metrics.json", stableJson(metrics));
  writeOut("plots/confusion.csv", `actual,predicted\n${pairs.map(([a, p]) => `${a},${p}\n`).join("")}`);
  const summary = `accuracy ${metrics.accuracy.toFixed(4)}, macro-F1 ${metrics.macro_f1.toFixed(4)}`;
  process.stdout.write(`evaluate: ${pairs.length} test rows, ${summary}\n`);
});

function ratio(a, b) {
  return b === 0 ? 0 : a / b;
}

/** model.json as train writes it, checked enough to give a clear message instead of NaN metrics. */
function readModel(file) {
  let model;
  try {
    model = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    if (err.code === "ENOENT") throw new StageError(`${file} not found (run the train stage first)`);
    throw new StageError(`${file} is not valid JSON: ${err.message}`);
  }
  const K = model?.classes?.length;
  const D = model?.features?.length;
  const ok =
    K > 0 &&
    D > 0 &&
    model.mean?.length === D &&
    model.std?.length === D &&
    model.bias?.length === K &&
    model.weights?.length === K &&
    model.weights.every((wk) => wk.length === D);
  if (!ok) throw new StageError(`${file} is not a model written by the train stage`);
  return model;
}
