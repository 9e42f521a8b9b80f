import type { DatabaseReport } from './report';
import { describeReport, type Block } from './reportDocument';

/** The report as Markdown, for terminals and pull requests (charts are left out: their figures are in the tables). */
export function renderMarkdown(report: DatabaseReport): string {
  return `${describeReport(report).map(markdownOf).filter((text) => text !== '').join('\n\n')}\n`;
}

function markdownOf(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `${'#'.repeat(block.level)} ${block.text}`;
    case 'paragraph':
      return block.text;
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'verdicts':
      return block.verdicts.map((verdict) => `- ${verdict.level === 'act' ? '**act**' : verdict.level}: ${verdict.text}`).join('\n');
    case 'table':
      return [row(block.header), row(block.header.map(() => '---')), ...block.rows.map(row)].join('\n');
    case 'code':
      return `\`\`\`${block.language}\n${block.text}\n\`\`\``;
    case 'chart':
      return '';
  }
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')).join(' | ')} |`;
}
