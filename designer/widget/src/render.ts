// The transcript's bubbles in the log: made, placed in seq order, and marked as notices at a handoff.

export function bubbleOf(from: string, text: string): HTMLElement {
  const bubble = document.createElement('div');
  bubble.className = `msg ${from}`;
  bubble.textContent = text;
  return bubble;
}

/** In seq order, before the messages still on their way and the typing indicator. */
export function insertInOrder(log: HTMLElement, typing: HTMLElement, bubble: HTMLElement, seq: number): void {
  const after = [...log.querySelectorAll<HTMLElement>('.msg[data-seq]')].find((node) => Number(node.dataset.seq) > seq);
  log.insertBefore(bubble, after ?? log.querySelector('.msg[data-client-id]:not([data-seq])') ?? typing);
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
