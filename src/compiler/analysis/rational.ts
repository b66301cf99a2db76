/**
 * Exact rational numbers for the coordinate algebra. Crop offsets are often half-integers
 * along the way (a 2×2 pool shifts centres by 0.5), and a deconvolution divides by its
 * stride; floating point would turn a clean 5 into 4.999…, so every map is kept exact.
 * Numerators and denominators stay far below 2^53 for any real net (strides multiply
 * into the hundreds), so plain numbers suffice.
 */

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

/** An immutable fraction `num/den` in lowest terms, with `den > 0`. */
export class Rational {
  readonly num: number;
  readonly den: number;

  private constructor(num: number, den: number) {
    if (!Number.isInteger(num) || !Number.isInteger(den) || den === 0) {
      throw new Error(`Rational: invalid ${num}/${den}`);
    }
    const g = gcd(num, den);
    const sign = den < 0 ? -1 : 1;
    // `+ 0` turns -0 into 0 so equal values print and compare alike.
    this.num = (sign * num) / g + 0;
    this.den = (sign * den) / g;
  }

  /** The fraction `num/den`. */
  static of(num: number, den = 1): Rational {
    return new Rational(num, den);
  }

  static readonly ZERO = new Rational(0, 1);
  static readonly ONE = new Rational(1, 1);

  add(o: Rational | number): Rational {
    const q = toRational(o);
    return new Rational(this.num * q.den + q.num * this.den, this.den * q.den);
  }

  sub(o: Rational | number): Rational {
    const q = toRational(o);
    return new Rational(this.num * q.den - q.num * this.den, this.den * q.den);
  }

  mul(o: Rational | number): Rational {
    const q = toRational(o);
    return new Rational(this.num * q.num, this.den * q.den);
  }

  div(o: Rational | number): Rational {
    const q = toRational(o);
    if (q.num === 0) throw new Error('Rational: division by zero');
    return new Rational(this.num * q.den, this.den * q.num);
  }

  neg(): Rational {
    return new Rational(-this.num, this.den);
  }

  equals(o: Rational | number): boolean {
    const q = toRational(o);
    return this.num === q.num && this.den === q.den;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `o`. */
  compare(o: Rational | number): number {
    return this.sub(o).sign();
  }

  /** The larger of two. */
  static max(a: Rational, b: Rational): Rational {
    return a.compare(b) >= 0 ? a : b;
  }

  /** -1, 0 or 1. */
  sign(): number {
    return Math.sign(this.num);
  }

  isInteger(): boolean {
    return this.den === 1;
  }

  toNumber(): number {
    return this.num / this.den;
  }

  /** Decimal when exact in at most six places (`0.5`, `-83.5`), else a fraction (`1/3`). */
  toString(): string {
    if (this.den === 1) return String(this.num);
    let d = this.den;
    for (const p of [2, 5]) while (d % p === 0) d /= p;
    if (d === 1 && this.den <= 1_000_000) return String(this.num / this.den);
    return `${this.num}/${this.den}`;
  }
}

/** Lifts an integer (or passes a rational through). */
export function toRational(x: Rational | number): Rational {
  return x instanceof Rational ? x : Rational.of(x);
}
