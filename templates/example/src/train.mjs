// Stage `train`: multinomial logistic regression (softmax) on standardised features, trained by full-batch
// gradient descent for `train.epochs` epochs at learning rate `train.lr` with an L2 penalty `train.l2` on the
// weights; initial weights drawn from a generator seeded with `train.seed`. Writes model.json and the training
// loss (mean cross-entropy before each epoch's update) to plots/loss.csv.
import {
  FEATURES,
  LABEL,
  StageError,
  columns,
  numberParam,
  readCsv,
  readParams,
  rng,
  round,
  runStage,
  softmax,
  stableJson,
  writeOut,
} from "./common.mjs";

const IN = "data/train.csv";

runStage("train", () => {
  const params = readParams();
  const epochs = numberParam(params, "train.epochs", { integer: true, min: 1, max: 1_000_000 });
  const lr = numberParam(params, "train.lr", { min: 0, max: 100, exclusive: true });
  const l2 = numberParam(params, "train.l2", { min: 0, max: 100 });
  const seed = numberParam(params, "train.seed", { integer: true, min: 0, max: 2 ** 32 - 1 });

  const { header, rows } = readCsv(IN);
  if (rows.length === 0) throw new StageError(`${IN} has no rows`);
  const idx = columns(header, [LABEL, ...FEATURES], IN);
  const labels = rows.map((r) => r[idx[0]]);
  const raw = rows.map((r) => idx.slice(1).map((i) => Number(r[i])));
  const classes = [...new Set(labels)].sort();
  const y = labels.map((l) => classes.indexOf(l));
  const { mean, std } = moments(raw);
  const x = raw.map((row) => row.map((v, j) => (v - mean[j]) / std[j]));

  const K = classes.length;
  const D = FEATURES.length;
  const N = x.length;
  const random = rng(seed);
  const w = Array.from({ length: K }, () => Array.from({ length: D }, () => (random() - 0.5) * 0.02));
  const b = new Array(K).fill(0);
  const losses = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const gw = Array.from({ length: K }, () => new Array(D).fill(0));
    const gb = new Array(K).fill(0);
    let loss = 0;
    for (let n = 0; n < N; n++) {
      const p = softmax(w.map((wk, k) => dot(wk, x[n]) + b[k]));
      loss -= Math.log(Math.max(p[y[n]], 1e-15));
      for (let k = 0; k < K; k++) {
        const err = p[k] - (k === y[n] ? 1 : 0);
        gb[k] += err;
        for (let j = 0; j < D; j++) gw[k][j] += err * x[n][j];
      }
    }
    losses.push(loss / N);
    for (let k = 0; k < K; k++) {
      b[k] -= (lr * gb[k]) / N;
      for (let j = 0; j < D; j++) w[k][j] -= lr * (gw[k][j] / N + l2 * w[k][j]);
    }
  }

  const model = {
    type: "softmax-regression",
    classes,
    features: FEATURES,
    mean: mean.map((v) => round(v, 8)),
    std: std.map((v) => round(v, 8)),
    weights: w.map((wk) => wk.map((v) => round(v, 8))),
    bias: b.map((v) => round(v, 8)),
  };
  writeOut("model.json", stableJson(model));
  writeOut("plots/loss.csv", `epoch,loss\n${losses.map((l, i) => `${i + 1},${l.toFixed(6)}\n`).join("")}`);
  const last = losses.at(-1);
  process.stdout.write(
    `train: ${N} rows, ${K} classes, ${epochs} epochs, loss ${losses[0].toFixed(4)} -> ${last.toFixed(4)}\n`,
  );
});

/** Per-feature mean and (population) standard deviation; a constant feature gets std 1. */
function moments(rows) {
  const D = rows[0].length;
  const mean = new Array(D).fill(0);
  for (const r of rows) r.forEach((v, j) => (mean[j] += v / rows.length));
  const std = mean.map((m, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - m) ** 2, 0) / rows.length) || 1);
  return { mean, std };
}

function dot(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
