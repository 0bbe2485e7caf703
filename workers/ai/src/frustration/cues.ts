/**
 * Cues of a complaint as people post it to a company's support account: a narrated bad experience
 * ("supposed to arrive 3 days ago", "never received", "been on hold 2 hours", "charged twice"),
 * sarcasm ("thanks for nothing", "great service as always"), and the way social posts are typed
 * (@handles and links dropped, "sooo", "!!!", capitals). Each cue is a feature of the frustration
 * model (`=` and a readable name, shown in `reasons`); none decides alone: the learned heads weigh them.
 */
import type { SentimentAnalysis } from '../embedded/sentiment';
import { normalizeText } from '../text';
import { angry, annoyed, persistentFailure, shouts } from './signals';

/** A tweet's handles, links and the "#" of hashtags: the words are what the customer says. */
export function withoutSocialMarkup(text: string): string {
  return text
    .replace(/https?:\/\/\S+|www\.\S+/g, ' ')
    .replace(/(^|\s)[@＠]\w+/g, ' ')
    .replace(/#(\w)/g, '$1');
}

const number = '(\\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many|couple of)';
const cuePatterns: [name: string, pattern: RegExp][] = [
  [
    'waited long',
    new RegExp(
      `\\b(${number} (more |whole |full )?(min(ute)?s?|hours?|hrs?|days?|weeks?|months?|years?)|since (yesterday|last \\w+|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december)|on hold|in transit|all (day|morning|night|evening|week))\\b`,
    ),
  ],
  [
    'again and again',
    /\b(\d+(st|nd|rd|th)|second|third|fourth|fifth|sixth|umpteenth) (time|call|email|ticket|attempt|appointment|one|visit|repair)|\b(twice|again|every (single )?(time|day|order|sunday|week)|each time|(\d+|three|four|five|six|seven|several|multiple) (times|calls|emails|tickets|complaints|attempts|people|different|technicians|engineers|replacement))\b/,
  ],
  [
    'expected otherwise',
    /\b(supposed to|promised|was told|were told|i was assured|guaranteed|said (it|they|you|he|she) would|should have (arrived|been|come))\b/,
  ],
  [
    'never happened',
    /\b(never (came|arrived|showed|turned up|got|received|shipped|answered|replied|called|appeared|delivered)|(no ?one|nobody|no body) (is )?(answers?|answering|picks? up|replies|responds|called|came|showed|helps?|can (tell|help|explain))|not (one|a single) (reply|response|answer|call)|no (reply|response|answer|update|updates|call ?back|explanation|refund|help|compensation|communication|reason|way to|apology|show)|did not (show|turn) up|for nothing|still (no|not|nothing|waiting|charging|billing|getting|broken|down))\b/,
  ],
  [
    'charged wrongly',
    /\b((charged|billed|debited|deducted|took) (me )?(twice|double|again|for (a|an|the|something|subscriptions|damage|points)|after)|double[- ]?charged|overcharg\w*|still (charging|billing)|kept (charging|billing)|(fee|charge) for (a|an|the) \w+ (you|i|they|the driver))\b/,
  ],
  [
    'incredulous',
    /\b(seriously|unreal|unbelievable|really|are you (kidding|serious)|how is (this|that) (legal|ok|okay|possible)|what am i paying for|how do you even|what is going on|who does that|in \d{4}|lol|lmao|of course|shocker|what a surprise)\b/,
  ],
  [
    'sarcastic thanks',
    /\b(thanks? (for nothing|a lot|again)|great (job|service|customer service|work)|oh great|just great|love (paying|waiting|how|that)|brilliant|impressive|cool cool|as always|well done)\b|🙃|👍/u,
  ],
  [
    'asks for help calmly',
    /\b((can|could|would) you (please )?(check|help|look|tell|send|explain|review|resend|update|confirm|advise)|how (do|can|should|long|much) (i|it|does|do|will|would)|what (should|do|can) i do|what are my options|is (it|that|this|there) (normal|possible|a way|an outage)|any (tips|fix|known fix|update|idea)|please (help|advise)|when (should|will|can) i)\b/,
  ],
  ['verdict', /\b(never again|i am done|not worth it|done with|last time i|switching to|cancel everything)\b/],
];

export function cueFeatures(text: string, mood: SentimentAnalysis): string[] {
  const normalized = normalizeText(text);
  const out: string[] = [];
  for (const [name, pattern] of cuePatterns) if (pattern.test(normalized)) out.push(`=${name}`);
  if (/[!?]{2,}/.test(text)) out.push('=emphatic punctuation');
  if (/\b\w*([a-z])\1{2,}\w*\b/i.test(text.replace(/\b(w{3}|x{3,})\b/gi, ''))) out.push('=stretched word');
  if (shouts(text) || /\b[A-Z]{4,}\b/.test(text)) out.push('=capitals');
  if (angry(text)) out.push('=angry words');
  if (annoyed(text)) out.push('=annoyed');
  if (persistentFailure(text)) out.push('=failure persists');
  if (mood.score <= -0.25) out.push('=negative mood');
  if (mood.score <= -0.5) out.push('=very negative mood');
  if (mood.score >= 0.25) out.push('=positive mood');
  if (
    /\?\s*$/.test(text.trim()) &&
    /^\W*(how|can|could|what|where|when|which|is|are|do|does|will|would|may|should)\b/.test(
      normalizeText(withoutSocialMarkup(text)).trim(),
    )
  )
    out.push('=asks a question');
  return out;
}
