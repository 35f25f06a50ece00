// Hand-written on purpose: Python's format(x, ".<p>g"), which DVC's exp show / exp diff use for floats
// (dvc.compare._normalize_float). Number#toPrecision rounds exact ties away from zero; Python rounds the exact
// binary value half to even (format(0.125, ".2g") == "0.12"), so digits come from exact integer arithmetic.

/** value = num / den exactly (den a power of two); x finite and non-zero. */
function exactRatio(x: number): { num: bigint; den: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = expBits === 0 ? frac : frac | (1n << 52n);
  const exp = (expBits === 0 ? 1 : expBits) - 1075;
  return exp >= 0 ? { num: mant << BigInt(exp), den: 1n } : { num: mant, den: 1n << BigInt(-exp) };
}

/** round(num / den) with ties to even. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = (num - q * den) * 2n;
  return twice > den || (twice === den && q % 2n === 1n) ? q + 1n : q;
}

/**
 * The p significant digits of |x| > 0 and its decimal exponent, rounded half to even. toExponential rounds
 * correctly except at an exact tie (where it rounds up); a tie shows as a trailing 5 one digit further, and only
 * then is the exact value worked out.
 */
function sigDigits(ax: number, p: number): { text: string; e: number } {
  if (p <= 100) {
    const [mant, exp] = ax.toExponential(p - 1).split("e");
    const finer = p < 100 ? ax.toExponential(p).split("e")[0]! : "";
    if (!finer.endsWith("5")) return { text: mant!.replace(".", ""), e: Number(exp) };
  }
  const { num, den } = exactRatio(ax);
  // decimal exponent e with 10^e <= |x| < 10^(e+1)
  let e = Math.floor(Math.log10(ax));
  const pow = (k: number): bigint => 10n ** BigInt(k);
  if (e >= 0 ? num < den * pow(e) : num * pow(-e) < den) e--;
  else if (e + 1 >= 0 ? num >= den * pow(e + 1) : num * pow(-e - 1) >= den) e++;
  // p significant digits: round(|x| * 10^(p-1-e))
  const shift = p - 1 - e;
  let digits = shift >= 0 ? roundHalfEven(num * pow(shift), den) : roundHalfEven(num, den * pow(-shift));
  if (digits === pow(p)) {
    digits /= 10n;
    e++;
  }
  return { text: digits.toString(), e };
}

/** Python's format(x, f".{precision}g") ("general" format: fixed or exponent, trailing zeros removed). */
export function pyFormatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const p = Math.max(1, precision);
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return `${sign}0`;
  const { text, e } = sigDigits(Math.abs(x), p);
  if (e < -4 || e >= p) {
    const frac = text.slice(1).replace(/0+$/, "");
    const mant = frac === "" ? text[0]! : `${text[0]}.${frac}`;
    return `${sign}${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${text}`.replace(/0+$/, "");
  const int = text.slice(0, e + 1);
  const frac = text.slice(e + 1).replace(/0+$/, "");
  return `${sign}${int}${frac === "" ? "" : `.${frac}`}`;
}
