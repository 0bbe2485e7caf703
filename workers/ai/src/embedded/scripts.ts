// Scripts the English models cannot read: a message mostly in one of them is not classified.

const scripts: [string, RegExp][] = [
  ['Japanese', /[\u3040-\u30ff]/gu],
  ['Chinese', /[\u4e00-\u9fff]/gu],
  ['Korean', /[\uac00-\ud7af]/gu],
  ['Cyrillic', /[\u0400-\u04ff]/gu],
  ['Greek', /[\u0370-\u03ff]/gu],
  ['Arabic', /[\u0600-\u06ff]/gu],
  ['Hebrew', /[\u0590-\u05ff]/gu],
  ['Devanagari', /[\u0900-\u097f]/gu],
  ['Thai', /[\u0e00-\u0e7f]/gu],
];

/** The script of a message written mostly in a script the English models cannot read, else null. */
export function unsupportedScript(text: string): string | null {
  // Most messages are Latin script through and through: one cheap test instead of a dozen.
  // eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose
  if (!/[^\u0000-\u036f\u1e00-\u20cf]/.test(text)) return null;
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (letters === 0) return null;
  let best: [string, number] | null = null;
  for (const [name, pattern] of scripts) {
    const count = (text.match(pattern) ?? []).length;
    if (count > (best?.[1] ?? 0)) best = [name, count];
  }
  // Japanese mixes kana with Chinese characters: count them together.
  const kana = (text.match(/[\u3040-\u30ff]/gu) ?? []).length;
  if (kana > 0) best = ['Japanese', kana + (text.match(/[\u4e00-\u9fff]/gu) ?? []).length];
  return best && best[1] / letters >= 0.5 ? best[0] : null;
}
