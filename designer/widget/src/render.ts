// The transcript's bubbles in the log: made (text, time, the agent's name and initials), placed in seq
// order, marked as notices at a handoff; the quick replies a bot message offers.

function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * Where a link may lead: an http(s) URL, or a knowledge-base article's relative path `/kb/<id>` (on
 * the host site). Anything else (javascript:, data:, other relative paths) is no link; null then.
 */
export function safeHref(candidate: string): string | null {
  if (/^\/kb\/[\w.~%-]+$/.test(candidate)) return candidate;
  if (!/^https?:\/\//i.test(candidate)) return null;
  try {
    const url = new URL(candidate);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url.href : null;
  } catch {
    return null;
  }
}

/** An http(s) URL, or `/kb/<id>` standing alone (after a space, a colon or an opening bracket). */
const linkLike = /https?:\/\/[^\s<>"'`]+|(?<=^|[\s:(])\/kb\/[\w.~%-]+/gi;

/**
 * The text as text nodes, with its links as real links (`<a>` opening in a new tab), built as
 * elements: never parsed as HTML. Punctuation that ends a sentence is not part of a link.
 */
export function linkedText(text: string): Node[] {
  const nodes: Node[] = [];
  let from = 0;
  for (const match of text.matchAll(linkLike)) {
    const found = match[0].replace(/[.,;:!?)\]'"]+$/, '');
    const href = safeHref(found);
    if (!href || match.index === undefined) continue;
    if (match.index > from) nodes.push(document.createTextNode(text.slice(from, match.index)));
    const link = document.createElement('a');
    link.href = href;
    link.textContent = found;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    nodes.push(link);
    from = match.index + found.length;
  }
  if (from < text.length) nodes.push(document.createTextNode(text.slice(from)));
  return nodes;
}

/** A bubble: its text and, when known, the time it was said. What the bot and agents say has its links live. */
export function bubbleOf(from: string, text: string, at?: number): HTMLElement {
  const bubble = document.createElement('div');
  bubble.className = `msg ${from}`;
  const body = document.createElement('span');
  body.className = 'text';
  if (from === 'customer') body.textContent = text;
  else body.append(...linkedText(text));
  bubble.appendChild(body);
  if (at !== undefined) stamp(bubble, at);
  return bubble;
}

/** Puts (or moves) the bubble's time. */
export function stamp(bubble: HTMLElement, at: number): void {
  const time = bubble.querySelector('time') ?? document.createElement('time');
  time.className = 'time';
  time.dateTime = new Date(at).toISOString();
  time.textContent = clock(at);
  bubble.appendChild(time);
}

/** Up to two letters of a name: "Sam Lee" → "SL", "sam" → "S". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
  return letters.map((word) => [...(word ?? '')][0]?.toUpperCase() ?? '').join('') || '?';
}

/** The line above an agent's message: their initials, their name, their role. */
export function agentLine(name: string): HTMLElement {
  const who = document.createElement('span');
  who.className = 'who';
  const avatar = document.createElement('span');
  avatar.className = 'avatar';
  avatar.setAttribute('aria-hidden', 'true');
  avatar.textContent = initials(name);
  const label = document.createElement('span');
  label.className = 'name';
  label.textContent = `${name} · support agent`;
  who.append(avatar, label);
  return who;
}

/** In seq order, before the messages still on their way and the typing indicator. */
export function insertInOrder(log: HTMLElement, typing: HTMLElement, bubble: HTMLElement, seq: number): void {
  const after = [...log.querySelectorAll<HTMLElement>('.msg[data-seq]')].find((node) => Number(node.dataset.seq) > seq);
  log.insertBefore(
    bubble,
    after ?? log.querySelector('.msg[data-client-id]:not([data-seq])') ?? log.querySelector('.quick') ?? typing,
  );
}

/** `joined` when the conversation says so (the customer view); else told from the notices at the same node. */
export function markNotice(log: HTMLElement, bubble: HTMLElement, joined?: boolean): void {
  bubble.classList.remove('bot');
  bubble.classList.add('notice');
  if (joined !== undefined) {
    bubble.classList.toggle('joined', joined);
    return;
  }
  // At a handoff the bot first says the warm transition; what it says later there is the agent joining.
  const seq = Number(bubble.dataset.seq);
  const others = [
    ...log.querySelectorAll<HTMLElement>(`.msg.notice[data-node="${CSS.escape(bubble.dataset.node ?? '')}"]`),
  ];
  if (others.some((other) => other !== bubble && Number(other.dataset.seq) < seq)) bubble.classList.add('joined');
}

/** The choices a bot message offers, as buttons under it; choosing one sends it as the customer's reply. */
export function quickReplies(choices: readonly string[], choose: (text: string) => void): HTMLElement {
  const group = document.createElement('div');
  group.className = 'quick';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', 'Suggested replies');
  for (const choice of choices) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = choice;
    button.addEventListener('click', () => choose(choice));
    group.appendChild(button);
  }
  return group;
}
