/** A string styler: the identity when colours are off. */
export type Style = (text: string) => string;

export interface Palette {
  red: Style;
  yellow: Style;
  blue: Style;
  green: Style;
  dim: Style;
  bold: Style;
  underline: Style;
}

const codes: Record<keyof Palette, [number, number]> = {
  red: [31, 39],
  yellow: [33, 39],
  blue: [34, 39],
  green: [32, 39],
  dim: [2, 22],
  bold: [1, 22],
  underline: [4, 24],
};

/** ANSI SGR stylers, or identity functions when `enabled` is false. */
export function palette(enabled: boolean): Palette {
  const entries = Object.entries(codes).map(([name, [open, close]]) => {
    const style: Style = enabled ? (text) => (text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`) : (text) => text;
    return [name, style] as const;
  });
  return Object.fromEntries(entries) as unknown as Palette;
}
