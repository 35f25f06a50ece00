// Row counts of `dvx ci report` on a CSV at the size limit's scale (100,000 rows, ~4 MiB): the time rowDiff takes
// for the usual kinds of change, median of DVX_BENCH_RUNS (default 5). Build first: npm run build.
import { rowDiff } from "../dist/report/row-diff.js";

const runs = Number(process.env.DVX_BENCH_RUNS ?? 5);
const n = 100_000;
const line = (i) => `${i},adelie,${(i * 7919) % 10007},${(i * 104729) % 99991},torgersen,male,2007`;
const csv = (f) => ["id,a,b,c,d,e,f", ...Array.from({ length: n }, (_, i) => f(i))].join("\n") + "\n";
const old = csv(line);
const cases = {
  "1% of rows changed in place": csv((i) => (i % 100 === 0 ? `${line(i)}x` : line(i))),
  "10,000 rows appended": old + Array.from({ length: 10_000 }, (_, i) => line(n + i)).join("\n") + "\n",
  "every row different": csv((i) => line(i + n)),
  "rows reordered (bounded diff, then multisets)": csv((i) => line((i * 7) % n)),
};
console.log(`old file: ${n.toLocaleString("en-US")} rows, ${(old.length / 1024 ** 2).toFixed(2)} MiB; ${runs} runs`);
console.log("| change | median ms | result |\n|---|---:|---|");
for (const [name, now] of Object.entries(cases)) {
  const times = [];
  let r;
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    r = rowDiff(old, now, "csv", { sampleRows: 10 });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const result = `+${r.added} −${r.removed}${r.orderIgnored ? " (order ignored)" : ""}`;
  console.log(`| ${name} | ${times[Math.floor(runs / 2)].toFixed(0)} | ${result} |`);
}
