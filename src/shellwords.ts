/**
 * Splits a command-line string the way a POSIX shell splits words (quotes and backslashes,
 * no expansion), so that `ansible-args: --tags "web db" -v` means what it says in a terminal.
 */
export function splitShellWords(input: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && input[i + 1] === '\n') i++;
      else if (c === '\\' && i + 1 < input.length && '"\\$`'.includes(input[i + 1]))
        word += input[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      // A backslash-newline joins lines; a trailing backslash stays, as in sh.
      if (input[i + 1] === '\n') i++;
      else {
        word += i + 1 < input.length ? input[++i] : c;
        inWord = true;
      }
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

/** Quotes a word for /bin/sh so that it reaches the program byte for byte. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
