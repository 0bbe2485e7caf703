/**
 * Text analysis for the embedded AI provider: normalisation, tokens with negation scope, a light
 * stemmer, and a small lexicon of support-domain word classes ("concepts"), so that "I can't
 * remember my passcode" and "I forgot my password" meet although they share one word.
 */

const contractions: [RegExp, string][] = [
  [/\bwon'?t\b/g, 'will not'],
  [/\bcan'?t\b/g, 'can not'],
  [/\bcannot\b/g, 'can not'],
  [/\bain'?t\b/g, 'is not'],
  [/\bshan'?t\b/g, 'shall not'],
  [/n't\b/g, ' not'],
  // Apostrophe-less chat spellings.
  [/\b(do|does|did|is|are|was|were|has|have|had|could|would|should|must|need)nt\b/g, '$1 not'],
  [/\bim\b/g, 'i am'],
  [/\bive\b/g, 'i have'],
  [/\bidk\b/g, 'i do not know'],
  [/\bpls\b|\bplz\b/g, 'please'],
  [/\bthx\b|\bthnx\b|\bty\b/g, 'thanks'],
  [/'m\b/g, ' am'],
  [/'re\b/g, ' are'],
  [/'ve\b/g, ' have'],
  [/'ll\b/g, ' will'],
  [/'d\b/g, ' would'],
  [/\b(it|that|what|there|here|he|she|who|where|how)'s\b/g, '$1 is'],
  [/'s\b/g, ''],
];

/** Lower case, typographic quotes folded, contractions expanded: "I didn’t" → "i did not". */
export function normalizeText(text: string): string {
  let out = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'");
  for (const [pattern, replacement] of contractions) out = out.replace(pattern, replacement);
  return out;
}

/** Words that open a negation scope. */
export const negators = new Set([
  'not',
  'no',
  'never',
  'nothing',
  'none',
  'nobody',
  'nowhere',
  'neither',
  'nor',
  'without',
  'hardly',
  'barely',
]);

/** Function words: kept as features (an answer may be only "I'm in"), but weighted down. */
export const stopwords = new Set(
  (
    'a an the i me my mine myself we us our you your it its this that these those is am are was were be been being ' +
    'do does did doing have has had having will would shall should can could may might must to of in on at by for ' +
    'with from into onto about as and or but if so than then there here just also very really please hi hello hey ' +
    'what which who whom when where why how all any some such only own same too now up out over again once get got ' +
    'he she they them their his her'
  ).split(' '),
);

/** Scope of a negation: until punctuation, a contrast word, or this many content words. */
const negationReach = 3;
const scopeBreakers = new Set(['but', 'however', 'although', 'though', 'yet']);

export interface Token {
  /** Stemmed word. */
  stem: string;
  /** Inside a negation scope ("did not WORK"). */
  negated: boolean;
  stop: boolean;
}

/** A light suffix stripper (Porter-like, much simpler): worked/working/works → work, tried → try. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (/(ss|us|is)$/.test(w)) return w;
  else if (/(ches|shes|xes|zes|sses)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s')) w = w.slice(0, -1);
  // "logg" (logging) → "log", but keep "ll"/"ss" ("call", "access").
  if (/([b-df-hj-km-np-rtv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** Clauses of a normalised text (punctuation ends a negation scope). */
export function clauses(normalized: string): string[] {
  return normalized.split(/[.,;:!?()\n]+|\s-\s/).filter((part) => part.trim() !== '');
}

export function words(clause: string): string[] {
  return clause.match(/[a-z0-9]+/g) ?? [];
}

/** Tokens of a text with negation scope: "no it did not work" → no, it¬, did¬, not, work¬. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const clause of clauses(normalizeText(text))) {
    let reach = 0;
    for (const word of words(clause)) {
      if (scopeBreakers.has(word)) reach = 0;
      const stop = stopwords.has(word);
      const isNegator = negators.has(word);
      tokens.push({ stem: stem(word), negated: reach > 0 && !isNegator, stop: stop || isNegator });
      if (isNegator) reach = negationReach;
      else if (reach > 0 && !stop) reach -= 1;
    }
  }
  return tokens;
}

/**
 * Word classes of customer-support talk. A token adds its class as an extra feature; a negated
 * token adds its class's opposite when it has one ("did not work" ≈ "failed").
 */
const conceptWords: Record<string, string> = {
  person:
    'human person people agent representative rep operator someone somebody staff employee advisor adviser specialist manager supervisor live real actual',
  talk: 'talk speak chat connect contact transfer call phone reach',
  password: 'password passcode passphrase pwd pw pin credential credentials',
  access: 'login log logon signin sign access locked lock lockout unlock account',
  forget: 'forgot forget forgotten lost lose misplaced',
  remember: 'remember recall know',
  reset: 'reset recover recovery restore change new retrieve regain',
  affirm: 'yes yeah yep yup yea ya sure correct right absolutely definitely indeed ok okay alright affirmative',
  deny: 'no nope nah negative',
  success:
    'work fixed fix solved solve resolved resolve sorted success successful done fine good great perfect awesome excellent',
  failure:
    'broken broke break fail failed failure error wrong invalid expired expire problem issue bug stuck useless dead',
  thanks: 'thanks thank cheers appreciate appreciated grateful',
  receive: 'get got gotten receive received arrive arrived come came see saw seen show land landed',
  missing: 'missing nothing empty',
  email: 'email mail inbox message link url letter spam',
  help: 'help assist assistance support service',
  order: 'order package parcel delivery shipment shipping tracking track',
  money: 'refund charge charged payment pay money bill billing invoice price',
};

const opposites: Record<string, string> = {
  success: 'failure',
  failure: 'success',
  receive: 'missing',
  affirm: 'deny',
  deny: 'affirm',
  remember: 'forget',
};

const gettingIn = new Set(['log', 'sign', 'am', 'got', 'get', 'back', 'logg']);

const conceptOf = new Map<string, string>();
for (const [concept, list] of Object.entries(conceptWords)) {
  for (const word of list.split(' ')) {
    const key = stem(word);
    if (!conceptOf.has(key)) conceptOf.set(key, concept);
  }
}

/** The concept features of tokens: "password", "not:talk", "failure" (from a negated "work") … */
export function concepts(tokens: readonly Token[]): string[] {
  const out: string[] = [];
  for (const [index, token] of tokens.entries()) {
    // "I'm in", "logged in", "got in": being in is success (and "can't log in" its failure).
    const previous = tokens[index - 1]?.stem;
    const concept =
      token.stem === 'in' && previous !== undefined && gettingIn.has(previous) ? 'success' : conceptOf.get(token.stem);
    if (!concept) continue;
    if (!token.negated) out.push(concept);
    else out.push(opposites[concept] ?? `not:${concept}`);
  }
  return out;
}
