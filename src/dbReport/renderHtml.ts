import type { DatabaseReport } from './report';
import { describeReport, type Block } from './reportDocument';
import { escapeXml, renderBarChart } from './svgBarChart';

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG charts, nothing fetched
 * (its Content-Security-Policy allows no request at all), so it opens the same offline, from a
 * CI artifact or a mail.
 */
export function renderHtml(report: DatabaseReport): string {
  const body: string[] = [];
  let sectionOpen = false;
  for (const block of describeReport(report)) {
    if (block.kind === 'heading' && block.level === 2) {
      if (sectionOpen) body.push('</section>');
      body.push(`<section id="${escapeXml(block.id ?? '')}">`);
      sectionOpen = true;
    }
    body.push(htmlOf(block));
  }
  if (sectionOpen) body.push('</section>');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(`Database report: ${report.database.name}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body.join('\n')}
</main>
</body>
</html>
`;
}

function htmlOf(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `<h${block.level}>${escapeXml(block.text)}</h${block.level}>`;
    case 'paragraph':
      return `<p>${escapeXml(block.text)}</p>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${escapeXml(item)}</li>`).join('')}</ul>`;
    case 'verdicts':
      return `<ul class="verdicts">${block.verdicts
        .map((verdict) => `<li class="${verdict.level}"><span class="level">${verdict.level}</span> ${escapeXml(verdict.text)}</li>`)
        .join('')}</ul>`;
    case 'table':
      return `<table><thead><tr>${block.header.map((cell) => `<th>${escapeXml(cell)}</th>`).join('')}</tr></thead><tbody>${block.rows
        .map((cells) => `<tr>${cells.map((cell) => `<td>${escapeXml(cell)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    case 'code':
      return `<pre><code class="language-${escapeXml(block.language)}">${escapeXml(block.text)}</code></pre>`;
    case 'chart':
      return `<figure>${renderBarChart(block.chart)}</figure>`;
  }
}

const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; color: #1a202c; margin: 0; background: #f7fafc; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; background: #fff; }
h1 { font-size: 24px; } h2 { font-size: 19px; border-bottom: 1px solid #cbd5e0; padding-bottom: 4px; margin-top: 32px; } h3 { font-size: 15px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }
th, td { border: 1px solid #e2e8f0; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #edf2f7; }
pre { background: #f1f5f9; padding: 8px; overflow-x: auto; font-size: 12px; white-space: pre-wrap; }
ul.verdicts { list-style: none; padding: 0; }
ul.verdicts li { padding: 4px 8px; margin: 2px 0; border-left: 4px solid; }
ul.verdicts li.act { border-color: #c53030; background: #fff5f5; }
ul.verdicts li.look { border-color: #d69e2e; background: #fffff0; }
ul.verdicts li.fine { border-color: #2f855a; background: #f0fff4; }
.level { font-weight: bold; text-transform: uppercase; font-size: 11px; margin-right: 6px; }
figure { margin: 8px 0 16px; }
`;
