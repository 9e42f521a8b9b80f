import { formatNumber, significantDigits } from '../format';
import type { ChartPanel } from '../results';

const WIDTH = 760;
const LABEL_WIDTH = 170;
const PLOT_WIDTH = 470;
const BAR_HEIGHT = 20;
const BAR_GAP = 8;
const COLORS = ['#2b6cb0', '#c05621', '#2f855a', '#6b46c1'];

/**
 * One SVG of horizontal bar panels, one per scenario: each bar is a side's median with a min–max
 * whisker; dashed lines mark targets. Hand-written SVG, no chart library.
 */
export function renderChart(panels: readonly ChartPanel[], caption: string): string {
  const parts: string[] = [];
  let y = 34;
  parts.push(text(12, 20, caption, { size: 13, weight: 'bold' }));
  for (const panel of panels) {
    y = renderPanel(panel, y, parts) + 18;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${y}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function renderPanel(panel: ChartPanel, top: number, parts: string[]): number {
  const values = panel.bars.flatMap((bar) => [bar.value.min, bar.value.median, bar.value.max]).concat((panel.lines ?? []).map((line) => line.value));
  const finite = values.filter((value) => Number.isFinite(value) && value > 0);
  const scale = axis(finite, panel.logScale ?? false);
  const x = (value: number) => LABEL_WIDTH + Math.max(0, Math.min(1, scale(value))) * PLOT_WIDTH;

  parts.push(text(12, top + 14, `${panel.title} (${panel.unit}${panel.logScale ? ', log scale' : ''})`, { size: 12, weight: 'bold' }));
  const barsTop = top + 28;
  const barsBottom = barsTop + panel.bars.length * (BAR_HEIGHT + BAR_GAP);
  parts.push(line(LABEL_WIDTH, barsTop - 4, LABEL_WIDTH, barsBottom, '#444'));
  panel.bars.forEach((bar, index) => {
    const barTop = barsTop + index * (BAR_HEIGHT + BAR_GAP);
    const middle = barTop + BAR_HEIGHT / 2;
    const { median, min, max } = bar.value;
    parts.push(text(LABEL_WIDTH - 8, middle + 4, bar.label, { size: 11, anchor: 'end' }));
    if (Number.isFinite(median) && median > 0) {
      parts.push(`<rect x="${LABEL_WIDTH}" y="${barTop}" width="${(x(median) - LABEL_WIDTH).toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLORS[index % COLORS.length]}" opacity="0.85"/>`);
    }
    if (Number.isFinite(min) && Number.isFinite(max) && max > min && min > 0) {
      parts.push(line(x(min), middle, x(max), middle, '#111'));
      parts.push(line(x(min), middle - 5, x(min), middle + 5, '#111'));
      parts.push(line(x(max), middle - 5, x(max), middle + 5, '#111'));
    }
    const end = Number.isFinite(max) && max > 0 ? Math.max(x(max), x(median)) : LABEL_WIDTH;
    parts.push(text(end + 6, middle + 4, formatNumber(median, significantDigits(median)), { size: 11 }));
  });
  for (const reference of panel.lines ?? []) {
    const at = x(reference.value);
    parts.push(`<line x1="${at.toFixed(1)}" y1="${barsTop - 6}" x2="${at.toFixed(1)}" y2="${barsBottom}" stroke="#c53030" stroke-dasharray="4 3"/>`);
    parts.push(text(at, barsBottom + 12, reference.label, { size: 10, anchor: 'middle', color: '#c53030' }));
  }
  return barsBottom + ((panel.lines ?? []).length > 0 ? 16 : 0);
}

/** Maps a value to 0..1 of the plot width: linear from 0, or log10 over whole decades. */
function axis(values: readonly number[], logScale: boolean): (value: number) => number {
  const max = values.length === 0 ? 1 : Math.max(...values) * 1.1;
  if (!logScale) return (value) => value / max;
  const low = Math.pow(10, Math.floor(Math.log10(Math.min(...values, max))));
  const high = Math.pow(10, Math.ceil(Math.log10(max)));
  const span = Math.log10(high) - Math.log10(low) || 1;
  return (value) => (value <= 0 ? 0 : (Math.log10(value) - Math.log10(low)) / span);
}

function line(x1: number, y1: number, x2: number, y2: number, color: string): string {
  return `<line x1="${x1.toFixed(1)}" y1="${y1}" x2="${x2.toFixed(1)}" y2="${y2}" stroke="${color}" stroke-width="1.2"/>`;
}

function text(
  x: number,
  y: number,
  content: string,
  style: { size: number; weight?: string; anchor?: 'start' | 'middle' | 'end'; color?: string },
): string {
  return (
    `<text x="${x.toFixed(1)}" y="${y}" font-size="${style.size}"` +
    (style.weight ? ` font-weight="${style.weight}"` : '') +
    (style.anchor && style.anchor !== 'start' ? ` text-anchor="${style.anchor}"` : '') +
    ` fill="${style.color ?? '#111'}">${escapeXml(content)}</text>`
  );
}

function escapeXml(value: string): string {
  return value.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
