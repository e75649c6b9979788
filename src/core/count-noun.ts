/** "1 control", "3 controls", "1 query", "2 queries": a count in a sentence people read. */
export function countNoun(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
