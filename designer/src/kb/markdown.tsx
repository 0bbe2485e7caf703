/**
 * A small Markdown renderer for knowledge-base articles: headings, bulleted and numbered lists,
 * bold, italic, inline code, links and paragraphs. It builds React elements, never an HTML string,
 * so `<script>` or `<img onerror>` in an article stays text; a link keeps its href only for http(s),
 * mailto and same-site paths, so `javascript:` and `data:` links render as plain text.
 */
import type { ReactNode } from 'react';

/** The schemes a preview may link to; anything else (javascript:, data:, vbscript:, …) is dropped. */
export function safeHref(url: string): string | null {
  const trimmed = url.trim();
  if (/^(https?:|mailto:)/i.test(trimmed)) return trimmed;
  // A same-site path, but not `//host` (protocol-relative) or `/\host` (some browsers read it as //).
  if (/^\/(?![/\\])/.test(trimmed)) return trimmed;
  return null;
}

type Block =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'paragraph'; text: string };

const headingLine = /^(#{1,4})\s+(.*)$/;
const bulletLine = /^\s*[-*+]\s+(.*)$/;
const numberLine = /^\s*\d+[.)]\s+(.*)$/;

export function blocksOf(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
  };
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const heading = headingLine.exec(line);
    const bullet = bulletLine.exec(line);
    const number = bullet ? null : numberLine.exec(line);
    if (!line.trim()) {
      flush();
    } else if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length as 1 | 2 | 3 | 4, text: heading[2]!.trim() });
    } else if (bullet || number) {
      flush();
      const ordered = number !== null;
      const item = (bullet ?? number)![1]!;
      const last = blocks[blocks.length - 1];
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(item);
      else blocks.push({ kind: 'list', ordered, items: [item] });
    } else {
      // A line under a list item with no marker continues the item, as Markdown reads it.
      const last = blocks[blocks.length - 1];
      if (!paragraph.length && last?.kind === 'list' && /^\s+/.test(line))
        last.items[last.items.length - 1] += ` ${line.trim()}`;
      else paragraph.push(line.trim());
    }
  }
  flush();
  return blocks;
}

// Earliest match wins; at one position the order here decides (code before bold before italic).
const inlinePatterns: { kind: 'code' | 'bold' | 'italic' | 'link'; re: RegExp }[] = [
  { kind: 'code', re: /`([^`]+)`/ },
  { kind: 'link', re: /\[([^\]]+)\]\(([^)\s]+)\)/ },
  { kind: 'bold', re: /\*\*(.+?)\*\*|__(.+?)__/ },
  { kind: 'italic', re: /\*([^*\s][^*]*?)\*|\b_([^_\s][^_]*?)_\b/ },
];

export function renderInline(text: string, key = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let n = 0;
  while (rest) {
    let best: { kind: string; match: RegExpExecArray } | null = null;
    for (const { kind, re } of inlinePatterns) {
      const match = re.exec(rest);
      if (match && (!best || match.index < best.match.index)) best = { kind, match };
    }
    if (!best) {
      out.push(rest);
      break;
    }
    const { kind, match } = best;
    if (match.index > 0) out.push(rest.slice(0, match.index));
    const k = `${key}.${n++}`;
    const inner = match[1] ?? match[2] ?? '';
    if (kind === 'code') out.push(<code key={k}>{inner}</code>);
    else if (kind === 'bold') out.push(<strong key={k}>{renderInline(inner, k)}</strong>);
    else if (kind === 'italic') out.push(<em key={k}>{renderInline(inner, k)}</em>);
    else {
      const href = safeHref(match[2] ?? '');
      out.push(
        href ? (
          <a key={k} href={href} target="_blank" rel="noopener noreferrer">
            {renderInline(inner, k)}
          </a>
        ) : (
          <span key={k} className="kb-unsafe-link" title="Link not shown: only http(s), mailto and /paths">
            {renderInline(inner, k)}
          </span>
        ),
      );
    }
    rest = rest.slice(match.index + match[0].length);
  }
  return out;
}

export function Markdown({ source }: { source: string }) {
  return (
    <>
      {blocksOf(source).map((block, index) => {
        const key = `b${index}`;
        if (block.kind === 'heading') {
          const Tag = (['h3', 'h3', 'h4', 'h5', 'h6'] as const)[block.level];
          return <Tag key={key}>{renderInline(block.text, key)}</Tag>;
        }
        if (block.kind === 'list') {
          const items = block.items.map((item, i) => <li key={i}>{renderInline(item, `${key}.${i}`)}</li>);
          return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
        }
        return <p key={key}>{renderInline(block.text, key)}</p>;
      })}
    </>
  );
}
