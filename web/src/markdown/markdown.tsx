// Renders markdown as React elements (never as HTML strings), so agent-written text cannot inject markup.
import { memo, useMemo, type ReactNode } from "react";
import { parseMarkdown, type Block } from "./parse-blocks.ts";
import type { Inline } from "./parse-inlines.ts";

/** Props of Markdown. */
export interface MarkdownProps {
  source: string;
  className?: string;
}

/** A markdown document; re-parsed only when its text changes. */
export const Markdown = memo(function Markdown({ source, className }: MarkdownProps) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return (
    <div className={className ? `markdown ${className}` : "markdown"}>{renderBlocks(blocks)}</div>
  );
});

function renderBlocks(blocks: Block[], tight = false): ReactNode[] {
  return blocks.map((block, i) => renderBlock(block, i, tight));
}

function renderBlock(block: Block, key: number, tight: boolean): ReactNode {
  switch (block.type) {
    case "paragraph":
      return tight ? (
        <span key={key} className="md-tight">
          {renderInlines(block.inlines)}
        </span>
      ) : (
        <p key={key}>{renderInlines(block.inlines)}</p>
      );
    case "heading": {
      // The page owns h1 and h2; headings the agent writes sit below them in the outline.
      const Tag = `h${Math.min(block.level + 2, 6)}` as "h3" | "h4" | "h5" | "h6";
      return (
        <Tag key={key} className={`md-heading md-h${block.level}`}>
          {renderInlines(block.inlines)}
        </Tag>
      );
    }
    case "code":
      return (
        <pre key={key} className="md-code" tabIndex={0} data-lang={block.lang || undefined}>
          <code>{block.text}</code>
        </pre>
      );
    case "list": {
      const items = block.items.map((item, i) => (
        <li key={i}>{renderBlocks(item, !block.loose)}</li>
      ));
      return block.ordered ? (
        <ol key={key} start={block.start === 1 ? undefined : block.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case "quote":
      return <blockquote key={key}>{renderBlocks(block.blocks)}</blockquote>;
    case "rule":
      return <hr key={key} />;
    case "table":
      return (
        <div key={key} className="md-table" tabIndex={0}>
          <table>
            <thead>
              <tr>
                {block.head.map((cell, i) => (
                  <th key={i} style={{ textAlign: block.align[i] ?? undefined }}>
                    {renderInlines(cell)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => (
                    <td key={i} style={{ textAlign: block.align[i] ?? undefined }}>
                      {renderInlines(cell)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    default:
      block satisfies never;
      return null;
  }
}

function renderInlines(inlines: Inline[]): ReactNode[] {
  return inlines.map((inline, key) => {
    switch (inline.type) {
      case "text":
        return inline.text;
      case "code":
        return <code key={key}>{inline.text}</code>;
      case "em":
        return <em key={key}>{renderInlines(inline.children)}</em>;
      case "strong":
        return <strong key={key}>{renderInlines(inline.children)}</strong>;
      case "del":
        return <del key={key}>{renderInlines(inline.children)}</del>;
      case "break":
        return <br key={key} />;
      case "link":
        return inline.href ? (
          <a key={key} href={inline.href} target="_blank" rel="noopener noreferrer nofollow">
            {renderInlines(inline.children)}
          </a>
        ) : (
          <span key={key}>{renderInlines(inline.children)}</span>
        );
      default:
        inline satisfies never;
        return null;
    }
  });
}
