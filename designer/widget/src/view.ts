// The widget's DOM: a launcher and a chat panel in a shadow root, so the page's styles and the
// widget's do not mix.
import type { Config } from './config';
import { widgetCss } from './styles';

const icon =
  '<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

/** The elements the widget works with, in its shadow root (not yet in the page). */
export interface View {
  host: HTMLElement;
  root: HTMLElement;
  launcher: HTMLButtonElement;
  close: HTMLButtonElement;
  log: HTMLElement;
  typing: HTMLElement;
  error: HTMLElement;
  errorText: HTMLElement;
  retry: HTMLButtonElement;
  status: HTMLElement;
  /** "Waiting for an agent…": between the handoff and an agent claiming it. */
  waiting: HTMLElement;
  /** "Usually about N min." in the waiting strip, when the queue knows its median claim time. */
  eta: HTMLElement;
  survey: HTMLElement;
  surveySend: HTMLButtonElement;
  cesScale: HTMLElement;
  csatScale: HTMLElement;
  thanks: HTMLElement;
  restart: HTMLElement;
  restartButton: HTMLButtonElement;
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  sendButton: HTMLButtonElement;
}

export function createView(config: Config): View {
  const host = document.createElement('div');
  host.setAttribute('data-baton-widget', config.journey);
  const shadow = host.attachShadow({ mode: 'open' });
  shadow.innerHTML = `<style>${widgetCss}</style>
<div class="root">
  <button class="launcher" type="button">${icon}<span></span><span class="visually-hidden">: open the support chat</span></button>
  <section class="panel" role="dialog" aria-label="">
    <header class="head"><span class="title"></span><span class="status" aria-live="polite"></span><button class="close" type="button" aria-label="Close the chat">×</button></header>
    <div class="log" role="log" aria-live="polite" aria-relevant="additions"><div class="typing" aria-label="The assistant is typing" role="status"><span></span><span></span><span></span></div></div>
    <div class="waiting" role="status"><span class="dots" aria-hidden="true"><span></span><span></span><span></span></span><span><strong>Waiting for an agent…</strong> <span class="eta"></span>You can keep writing here; they will read it.</span></div>
    <div class="error" role="alert"><span></span><button type="button">Try again</button></div>
    <div class="survey" role="group" aria-label="Survey">
      <p id="ces-q">How easy was it to handle your issue?</p>
      <div class="scale" data-scale="ces" role="group" aria-labelledby="ces-q"></div>
      <div class="ends"><span>1 very hard</span><span>7 very easy</span></div>
      <p id="csat-q">How satisfied are you?</p>
      <div class="scale" data-scale="csat" role="group" aria-labelledby="csat-q"></div>
      <div class="ends"><span>1 not at all</span><span>5 very</span></div>
      <button class="send" type="button" disabled>Send answers</button>
    </div>
    <div class="thanks" role="status">Thank you for your feedback!</div>
    <div class="restart"><button type="button">Start a new conversation</button></div>
    <form><label class="visually-hidden" for="baton-input">Your message</label><textarea id="baton-input" name="message" placeholder="Type your message…" maxlength="4000"></textarea><button type="submit">Send</button></form>
  </section>
</div>`;
  const $ = <T extends Element>(selector: string) => shadow.querySelector(selector) as T;
  $<HTMLElement>('.launcher span').textContent = config.title; // the button's name starts with the text it shows
  $<HTMLElement>('.title').textContent = config.title;
  $<HTMLElement>('.panel').setAttribute('aria-label', `${config.title} chat`);
  return {
    host,
    root: $('.root'),
    launcher: $('.launcher'),
    close: $('.close'),
    log: $('.log'),
    typing: $('.typing'),
    error: $('.error'),
    errorText: $('.error span'),
    retry: $('.error button'),
    status: $('.status'),
    waiting: $('.waiting'),
    eta: $('.waiting .eta'),
    survey: $('.survey'),
    surveySend: $('.survey .send'),
    cesScale: $('[data-scale="ces"]'),
    csatScale: $('[data-scale="csat"]'),
    thanks: $('.thanks'),
    restart: $('.restart'),
    restartButton: $('.restart button'),
    form: $('form'),
    input: $('textarea'),
    sendButton: $('form button'),
  };
}
