// What the widget tells around the messages: the header's status, the newest message, the survey
// question the panel asks instead of the bot, and the quick replies that go stale.
import type { Waiting } from './types';

/** "Waiting for an agent…" between the handoff and an agent joining, then who the customer is with. */
export function statusText(
  waitingKind: Waiting['kind'] | null,
  waitingForAgent: boolean,
  agentName: string | null,
  ended: boolean,
): string {
  if (ended) return 'ended';
  if (waitingForAgent) return 'Waiting for an agent…';
  if (waitingKind === 'agent') return agentName ? `with ${agentName}` : 'with an agent';
  return '';
}

/** Whether no shown message comes after this one. */
export function isNewest(log: HTMLElement, seq: number): boolean {
  return ![...log.querySelectorAll<HTMLElement>('.msg[data-seq]')].some((node) => Number(node.dataset.seq) > seq);
}

/** Hides the bot's survey question (its newest message, "Please tell us how …") while the panel asks it. */
export function foldSurveyQuestion(log: HTMLElement): void {
  const bots = log.querySelectorAll<HTMLElement>('.msg.bot[data-seq]');
  const last = bots[bots.length - 1];
  const text = last?.querySelector('.text')?.textContent ?? '';
  if (last && /^Please tell us how (easy|satisfied)/.test(text)) last.classList.add('survey-q');
}

export function clearQuickReplies(log: HTMLElement): void {
  for (const old of log.querySelectorAll('.quick')) old.remove();
}
