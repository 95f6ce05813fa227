/**
 * Rego's `sprintf` (Go's fmt.Sprintf over the arguments as OPA passes them), replacing the
 * SDK's, which uses sprintf-js and throws on Go verbs such as `%v` and `%q`.
 *
 * OPA hands fmt.Sprintf an integer for an integral number, a float64 for other numbers, the
 * string for a string, and the Rego text of anything else (`["a", "b"]`, `{"k": 1}`, `true`).
 * A set arrives here as an array and prints as one (`[…]`, where OPA prints `{…}`).
 */
export function goSprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let next = 0;
  const verb = /%([-+# 0]*)(\d+|\*)?(?:\.(\d+|\*)?)?([a-zA-Z%])/g;
  let last = 0;
  for (let match = verb.exec(format); match; match = verb.exec(format)) {
    out += format.slice(last, match.index);
    last = verb.lastIndex;
    const [, flags = '', widthText, precisionText, letter = 'v'] = match;
    if (letter === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) {
      out += `%!${letter}(MISSING)`;
      continue;
    }
    const value = toGoValue(args[next++]);
    const width = widthText === undefined || widthText === '*' ? undefined : Number(widthText);
    const precision = precisionText === undefined ? (match[0].includes('.') ? 0 : undefined) : precisionText === '*' ? undefined : Number(precisionText);
    out += pad(formatOne(letter, value, precision, flags), width, flags);
  }
  out += format.slice(last);
  if (next < args.length) out += `%!(EXTRA ${args.slice(next).map((arg) => { const value = toGoValue(arg); return `${goType(value)}=${plain(value)}`; }).join(', ')})`;
  return out;
}

type GoValue = { type: 'int'; value: bigint } | { type: 'float'; value: number } | { type: 'string'; value: string };

function toGoValue(value: unknown): GoValue {
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? { type: 'int', value: BigInt(value) } : { type: 'float', value };
  return { type: 'string', value: regoText(value) };
}

/** The text OPA's `ast.Term.String()` gives a JSON value. */
export function regoText(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(regoText).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}: ${regoText((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

function goType(value: GoValue): string {
  return value.type === 'float' ? 'float64' : value.type;
}

function plain(value: GoValue): string {
  return value.type === 'float' ? goFloat(value.value) : String(value.value);
}

/** Go's `%v` of a float64 (`%g` with the shortest representation, exponent from 1e21). */
function goFloat(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  const exponent = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 21) {
    const [mantissa, exp = '0'] = value.toExponential().split('e');
    const sign = exp.startsWith('-') ? '-' : '+';
    const digits = exp.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(value);
}

function formatOne(letter: string, value: GoValue, precision: number | undefined, flags: string): string {
  switch (letter) {
    case 'v':
      return value.type === 'float' ? goFloat(value.value) : value.type === 'string' ? truncate(value.value, precision) : String(value.value);
    case 's':
      return value.type === 'string' ? truncate(value.value, precision) : bad(letter, value);
    case 'q':
      return value.type === 'string' ? JSON.stringify(truncate(value.value, precision)) : value.type === 'int' ? `'${String.fromCodePoint(Number(value.value))}'` : bad(letter, value);
    case 'd':
      return value.type === 'int' ? withSign(String(value.value), flags) : bad(letter, value);
    case 'f':
    case 'F':
      return value.type === 'float' ? withSign(value.value.toFixed(precision ?? 6), flags) : bad(letter, value);
    case 'e':
      return value.type === 'float' ? withSign(value.value.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'), flags) : bad(letter, value);
    case 'x':
    case 'X': {
      const text = value.type === 'int' ? value.value.toString(16) : value.type === 'string' ? Buffer.from(value.value, 'utf8').toString('hex') : bad(letter, value);
      return letter === 'X' ? text.toUpperCase() : text;
    }
    // OPA passes booleans as their text, so `%t` never applies (Go prints `%!t(string=true)`).
    default:
      return bad(letter, value);
  }
}

function bad(letter: string, value: GoValue): string {
  return `%!${letter}(${goType(value)}=${plain(value)})`;
}

function truncate(text: string, precision: number | undefined): string {
  return precision === undefined ? text : [...text].slice(0, precision).join('');
}

function withSign(text: string, flags: string): string {
  if (text.startsWith('-')) return text;
  if (flags.includes('+')) return `+${text}`;
  if (flags.includes(' ')) return ` ${text}`;
  return text;
}

function pad(text: string, width: number | undefined, flags: string): string {
  const length = [...text].length;
  if (width === undefined || length >= width) return text;
  if (flags.includes('-')) return text + ' '.repeat(width - length);
  if (flags.includes('0') && /^[+-]?\d/.test(text)) {
    const sign = /^[+-]/.test(text) ? text.slice(0, 1) : '';
    return sign + '0'.repeat(width - length) + text.slice(sign.length);
  }
  return ' '.repeat(width - length) + text;
}
