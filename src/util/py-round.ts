// Python's round(x, ndigits) for floats, exactly: the float's exact binary value is rounded to `ndigits`
// decimal places, ties to even (only exact ties, e.g. 0.015625 → 0.01562 at 5 places), and the decimal
// result is read back as the nearest float. Number#toFixed breaks exact ties away from zero instead.

const TWO_52 = 2n ** 52n;

/** value = num / den exactly (den a power of two). */
function exactRatio(x: number): { num: bigint; den: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & (TWO_52 - 1n);
  const mant = expBits === 0 ? frac : frac | TWO_52;
  const exp = (expBits === 0 ? 1 : expBits) - 1075; // value = mant * 2**exp
  return exp >= 0 ? { num: mant << BigInt(exp), den: 1n } : { num: mant, den: 1n << BigInt(-exp) };
}

export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  // Python: beyond these bounds the answer is x itself, or a zero of x's sign.
  if (ndigits > 323) return x;
  if (ndigits < -308) return 0 * x;
  let { num, den } = exactRatio(x);
  if (ndigits >= 0) num *= 10n ** BigInt(ndigits);
  else den *= 10n ** BigInt(-ndigits);
  let q = num / den;
  const twice = (num - q * den) * 2n;
  if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  const magnitude = Number(`${q}e${-ndigits}`);
  return x < 0 ? -magnitude : magnitude;
}
