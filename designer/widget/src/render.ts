// The transcript's bubbles in the log: made (text, time, the agent's name and initials), placed in seq
// order, marked as notices at a handoff; the quick replies a bot message offers.

function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** A bubble: its text and, when known, the time it was said. */
export function bubbleOf(from: string, text: string, at?: number): HTMLElement {
  const bubble = document.createElement('div');
  bubble.className = `msg ${from}`;
  const body = document.createElement('span');
  body.className = 'text';
  body.textContent = text;
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
