// The end-of-conversation survey: effort (CES, 1–7) and satisfaction (CSAT, 1–5) as rows of buttons.

export type SurveyAnswers = { ces?: number; csat?: number };

/** One scale's buttons; choosing one records it in `answers` and enables `send`. */
export function buildScale(
  container: HTMLElement,
  name: 'ces' | 'csat',
  points: number,
  answers: SurveyAnswers,
  send: HTMLButtonElement,
): void {
  for (let value = 1; value <= points; value += 1) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = String(value);
    button.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-label', `${name === 'ces' ? 'Effort' : 'Satisfaction'} ${value} of ${points}`);
    button.addEventListener('click', () => {
      answers[name] = value;
      for (const other of container.querySelectorAll('button'))
        other.setAttribute('aria-pressed', String(other === button));
      send.disabled = false;
    });
    container.appendChild(button);
  }
}
