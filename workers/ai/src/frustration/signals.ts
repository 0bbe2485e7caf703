/**
 * Frustration signals no training set teaches (shouting, a repeated request, angry words, annoyance),
 * and patterns the complaint cues reuse as features (a failure that persists).
 */
import { normalizeText, tokenize } from '../text';

/** Mostly capital letters over several words, e.g. "WHERE IS MY REFUND". */
export function shouts(text: string): boolean {
  const loud = text.match(/\b[A-Z]{2,}\b/g) ?? [];
  const letters = text.match(/[A-Za-z]/g) ?? [];
  const upper = text.match(/[A-Z]/g) ?? [];
  return loud.length >= 2 && letters.length >= 8 && upper.length / letters.length >= 0.6;
}

/**
 * Words of anger or contempt at the service (not the customer's problem: "lost", "fraud" or "declined"
 * are what banking customers report calmly, so the sentiment lexicon alone over-reads them).
 */
const angerPattern =
  /\b(furious|livid|outraged?|outrageous|disgraced?|disgraceful|disgusting|disgusted|appalling|appalled|pathetic|incompetent|rude|scam(mers?)?|unacceptable|ridiculous|useless|fed up|sick (and tired )?of|worst|horrible|awful|garbage|rubbish|a joke|(nobody|no one|noone) (cares?|answers?|helps?|responds?|replies|got back)|done with (you|this)|never again|waste of (my )?time|had enough)\b/;

/** The angry words of a message, or null. */
export function angry(text: string): string | null {
  const match = angerPattern.exec(normalizeText(text));
  return match ? match[0] : null;
}

/** Something that goes on or comes back: "still", "again", "keeps", "for two weeks". */
const persistencePattern =
  /\b(still|again|keeps?|kept|anymore|any more|(for|after|in|over) (hours|days|weeks|months|ages)|(\d+|two|three|four|five|six|several|many|few) (hours|days|weeks|months)|since (yesterday|last (week|month)|monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b/;
/** What failed: a negation, or a word of failure. */
const failurePattern =
  /\b(not|no|nothing|never|nobody|no one|none|crash\w*|broken|broke|down|wrong|missing|delayed|late|error\w*|fail\w*|stuck|lost|gone|cancell?ed|charged)\b/;

/** A failure that persists ("still nothing", "keeps crashing", "wrong item again"): what customers complain about. */
export function persistentFailure(text: string): string | null {
  const normalized = normalizeText(text);
  const persists = persistencePattern.exec(normalized);
  const failure = failurePattern.exec(normalized);
  return persists && failure ? `"${persists[0]}" + "${failure[0]}"` : null;
}

/** How chat and social posts say annoyance: emoji, emoticons and slang the lexicon has no entry for. */
const annoyedEmoji =
  /[\u{1F620}\u{1F621}\u{1F92C}\u{1F624}\u{1F644}\u{1F612}\u{1F44E}\u{1F4A9}\u{1F926}\u{1F611}\u{1F629}\u{1F62B}\u{1F61E}\u{1F614}\u{1F622}\u{1F62D}\u{2639}\u{1F641}]|(^|\s)(>?:-?\(+|:-?\/|-_-)(?=\s|$)/u;
const annoyedSlang = /\b(smh|wtf|wth|ffs|fml|ugh+|argh+|epic fail)\b|#fail\b/;

/** The annoyed emoji or slang of a message, or null. */
export function annoyed(text: string): string | null {
  const emoji = annoyedEmoji.exec(text);
  if (emoji) return emoji[0].trim();
  const slang = annoyedSlang.exec(normalizeText(text));
  return slang ? slang[0] : null;
}

/** "!!!", "?!" and the like. */
export function exclaims(text: string): boolean {
  return /[!?]{3,}|!\?|\?!/.test(text);
}

/** Words that say this is asked again, whatever was asked. */
const againPattern =
  /\b((second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th|umpteenth|hundredth) time|how many (more )?times (do|have|must|should|will|can) i( have to)? (ask|tell|say|call|write|explain|repeat|try)|again and again|over and over|i (have )?(already|just) (told|said|asked|explained|wrote)|i keep (asking|telling|saying|trying)|asked (you )?(this )?(before|already|twice)|for the last time)\b/;

function contentStems(text: string): Set<string> {
  return new Set(
    tokenize(text)
      .filter((token) => !token.stop)
      .map((token) => (token.negated ? `¬${token.stem}` : token.stem)),
  );
}

/** How much of the smaller message the other one shares (content words): 1 = one holds the other. */
function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared / Math.min(a.size, b.size);
}

/** Share of content words a message must share with an earlier one to repeat it. */
const repeatOverlap = 0.7;

/** Why the message repeats a request: said so, or an earlier message of the customer's asked the same. */
export function repeats(text: string, history: readonly string[]): string | null {
  const said = againPattern.exec(normalizeText(text));
  if (said) return `"${said[0]}"`;
  const now = contentStems(text);
  if (now.size < 2) return null;
  for (const earlier of history) {
    const before = contentStems(earlier);
    if (before.size >= 2 && overlap(now, before) >= repeatOverlap) return `like "${earlier.slice(0, 60)}"`;
  }
  return null;
}
