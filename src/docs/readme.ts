const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

/** Put `table` between the README's rule-table markers. */
export function replaceRuleTable(readme: string, table: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README.md needs ${START} and ${END} markers.`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}
