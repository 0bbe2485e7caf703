/** The widget's own CSS, inside its shadow root: the host page's styles do not reach it, and its styles do not leak out. */
export const widgetCss = `
:host { all: initial; }
* { box-sizing: border-box; }
.root { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; }
button { font: inherit; cursor: pointer; }
.launcher { display: flex; align-items: center; gap: 8px; border: 0; border-radius: 28px; padding: 12px 18px; background: #2458d6; color: #fff; font-weight: 600; box-shadow: 0 6px 18px rgba(20, 40, 90, .3); }
.launcher:focus-visible, .panel button:focus-visible, textarea:focus-visible { outline: 3px solid #8fb0ff; outline-offset: 2px; }
.launcher svg { width: 20px; height: 20px; }
.panel { display: none; flex-direction: column; width: 360px; max-width: calc(100vw - 40px); height: 540px; max-height: calc(100vh - 40px); background: #fff; border-radius: 14px; box-shadow: 0 12px 36px rgba(20, 40, 90, .28); overflow: hidden; }
.root.open .panel { display: flex; }
.root.open .launcher { display: none; }
.head { display: flex; align-items: center; gap: 8px; padding: 12px 14px; background: #2458d6; color: #fff; }
.head .title { font-weight: 700; flex: 1; }
.head .status { font-size: 12px; opacity: .9; }
.head .close { border: 0; background: transparent; color: #fff; font-size: 20px; line-height: 1; padding: 2px 6px; }
.log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; background: #f6f7f9; }
.msg { max-width: 82%; padding: 8px 11px; border-radius: 12px; white-space: pre-wrap; word-wrap: break-word; }
.msg .who { display: flex; align-items: center; gap: 6px; font-size: 11px; font-weight: 700; margin-bottom: 3px; }
.msg .avatar { display: inline-flex; align-items: center; justify-content: center; width: 22px; height: 22px; border-radius: 50%; background: #17663a; color: #fff; font-size: 10px; letter-spacing: .02em; }
.msg .time { display: block; font-size: 10px; opacity: .85; text-align: right; margin-top: 2px; }
.msg.notice .time, .msg.system .time { text-align: center; }
.msg.survey-q { display: none; }
.quick { align-self: flex-start; display: flex; flex-wrap: wrap; gap: 6px; max-width: 92%; }
.quick button { border: 1px solid #2458d6; background: #fff; color: #2458d6; border-radius: 16px; padding: 5px 12px; font-weight: 600; }
.quick button:hover { background: #e6eefc; }
.waiting { display: none; align-items: center; gap: 10px; padding: 8px 12px; background: #fff6dc; color: #5c4300; font-size: 12px; border-top: 1px solid #f0d58a; }
.waiting.on { display: flex; }
.waiting .dots { display: inline-flex; gap: 3px; }
.waiting .dots span { width: 6px; height: 6px; border-radius: 50%; background: #b58a1b; animation: blink 1.2s infinite ease-in-out; }
.waiting .dots span:nth-child(2) { animation-delay: .2s; }
.waiting .dots span:nth-child(3) { animation-delay: .4s; }
.msg.bot { align-self: flex-start; background: #fff; border: 1px solid #dde1e8; border-bottom-left-radius: 4px; }
.msg.agent { align-self: flex-start; background: #e2f4e8; border: 1px solid #b5dfc3; border-bottom-left-radius: 4px; }
.msg.agent .who { color: #17663a; }
.msg .text a { color: #1d4bb8; text-decoration: underline; overflow-wrap: anywhere; }
.msg .text a:focus-visible { outline: 3px solid #8fb0ff; outline-offset: 1px; border-radius: 2px; }
.msg.customer { align-self: flex-end; background: #2458d6; color: #fff; border-bottom-right-radius: 4px; }
.msg.customer.pending { opacity: .65; }
.msg.notice, .msg.system { align-self: center; max-width: 92%; background: #fff6dc; border: 1px solid #f0d58a; color: #5c4300; font-size: 13px; text-align: center; border-radius: 8px; }
.msg.notice.joined { background: #e2f4e8; border-color: #b5dfc3; color: #17663a; font-weight: 600; }
.typing { align-self: flex-start; display: none; gap: 4px; padding: 10px 12px; background: #fff; border: 1px solid #dde1e8; border-radius: 12px; }
.typing.on { display: inline-flex; }
.typing span { width: 7px; height: 7px; border-radius: 50%; background: #8a93a6; animation: blink 1.2s infinite ease-in-out; }
.typing span:nth-child(2) { animation-delay: .2s; }
.typing span:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }
.error { display: none; padding: 8px 12px; background: #fde4e1; color: #8c1d18; font-size: 13px; border-top: 1px solid #f3b7b1; }
.error.on { display: flex; align-items: center; gap: 8px; }
.error span { flex: 1; }
.error button { border: 1px solid #d98f88; background: #fff; color: #8c1d18; border-radius: 6px; padding: 2px 8px; }
.survey { display: none; padding: 10px 12px; border-top: 1px solid #dde1e8; background: #fff; }
.survey.on { display: block; }
.survey p { margin: 0 0 4px; font-size: 12px; font-weight: 600; color: #495165; }
.survey .scale { display: flex; gap: 4px; margin-bottom: 8px; }
.survey .scale button { flex: 1; min-width: 0; padding: 5px 0; border: 1px solid #c4cad6; border-radius: 6px; background: #fff; }
.survey .scale button[aria-pressed="true"] { background: #2458d6; border-color: #2458d6; color: #fff; }
.survey .send { width: 100%; padding: 7px; border: 0; border-radius: 8px; background: #2458d6; color: #fff; font-weight: 600; }
.survey .send:disabled { opacity: .5; cursor: not-allowed; }
.survey .ends { display: flex; justify-content: space-between; font-size: 11px; color: #6b7385; margin: -4px 0 6px; }
.thanks { display: none; padding: 10px 12px; text-align: center; color: #17663a; font-weight: 600; border-top: 1px solid #dde1e8; }
.thanks.on { display: block; }
.restart { display: none; padding: 0 12px 10px; text-align: center; background: #fff; }
.restart.on { display: block; }
.restart button { border: 1px solid #2458d6; background: #fff; color: #2458d6; border-radius: 8px; padding: 6px 12px; font-weight: 600; }
form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #dde1e8; background: #fff; }
textarea { flex: 1; resize: none; height: 40px; padding: 9px 10px; font: inherit; border: 1px solid #c4cad6; border-radius: 8px; color: #1d2330; background: #fff; }
form button { border: 0; border-radius: 8px; padding: 0 14px; background: #2458d6; color: #fff; font-weight: 600; }
form button:disabled, textarea:disabled { opacity: .5; cursor: not-allowed; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
